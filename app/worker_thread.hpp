#pragma once

#include <QObject>
#include <QString>
#include <QThread>

#include <functional>
#include <optional>
#include <stop_token>

namespace nftterm::app {

/// Runs `work` and catches whatever it throws (a checked U256 overflow in an
/// adapter, a JSON type error): one bad call must not end the program.
/// Returns what went wrong, in words, or nothing when the work returned.
[[nodiscard]] std::optional<QString> run_catching(const std::function<void()>& work);

/// One worker thread of the terminal. Owns the QThread, the worker object
/// that lives on it, and a std::stop_source whose token the worker hands to
/// every wait (a receipt wait, a retry loop), so that closing the window
/// never waits for a slow node. Work posted here runs inside `run_catching`;
/// what escapes it is reported by `failed`, and the thread goes on.
/// Created and used on the GUI thread.
class WorkerThread : public QObject {
    Q_OBJECT
public:
    /// `name` names the thread (in gdb, `top -H`) and the errors it reports.
    explicit WorkerThread(QString name, QObject* parent = nullptr);
    /// Requests stop, lets the work already queued run (it sees the stop
    /// and returns early), then joins; the worker is deleted on its thread.
    ~WorkerThread() override;

    /// Moves `worker` onto the thread, which deletes it when it ends. Once,
    /// before `start`; work posted before `start` runs once it started.
    void adopt(QObject* worker);
    void start() { m_thread.start(); }
    /// Runs `work` on the thread after what is queued before it.
    void post(std::function<void()> work);
    /// As `post`, and waits until it ran (a save before stopping).
    void post_and_wait(std::function<void()> work);

    std::stop_token stop_token() const { return m_stop.get_token(); }
    void request_stop() { m_stop.request_stop(); }
    bool running() const { return m_thread.isRunning(); }

Q_SIGNALS:
    /// A posted call threw: what, in words, naming the thread. Emitted on the
    /// worker thread; connections to GUI objects are queued.
    void failed(const QString& message);

private:
    void run(const std::function<void()>& work);

    QString m_name;
    QThread m_thread;
    std::stop_source m_stop;
    QObject* m_worker = nullptr;
};

/// Registers every type that crosses a worker's queued connections, once.
void register_worker_types();

}  // namespace nftterm::app
