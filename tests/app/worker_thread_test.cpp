#include <app/worker_thread.hpp>

#include <QSignalSpy>
#include <QTest>

#include "../support/test_registry.hpp"

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <stdexcept>

using namespace nftterm;

/// The worker threads of the terminal: a task that throws is reported in
/// words and the thread goes on; closing stops every wait that holds the
/// token instead of waiting for it to time out.
class WorkerThreadTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void aThrowingTaskIsReportedAndTheThreadGoesOn()
    {
        app::WorkerThread thread(QStringLiteral("test"));
        thread.adopt(new QObject);
        QSignalSpy failed(&thread, &app::WorkerThread::failed);
        thread.start();
        thread.post([] { throw std::overflow_error("U256 multiplication overflows"); });
        QTRY_COMPARE(failed.count(), 1);
        const QString message = failed.first().first().toString();
        QVERIFY2(message.contains(QStringLiteral("U256 multiplication overflows")), qPrintable(message));
        QVERIFY2(message.contains(QStringLiteral("test")), qPrintable(message));
        // Not a std::exception either: still caught, still in words.
        thread.post([] { throw 42; });
        QTRY_COMPARE(failed.count(), 2);
        QVERIFY(failed.last().first().toString().contains(QStringLiteral("unknown exception")));
        // The thread is alive: the next task runs.
        std::atomic<bool> ran = false;
        thread.post_and_wait([&] { ran = true; });
        QVERIFY(ran);
    }

    void closingStopsAWaitThatHoldsTheToken()
    {
        std::atomic<bool> waiting = false;
        std::atomic<bool> saw_stop = false;
        {
            app::WorkerThread thread(QStringLiteral("test"));
            thread.adopt(new QObject);
            thread.start();
            const std::stop_token token = thread.stop_token();
            thread.post([&waiting, &saw_stop, token] {
                // A receipt wait of ten minutes, as a top-up's would be: only the stop can end it early.
                std::mutex mutex;
                std::condition_variable_any woken;
                std::unique_lock lock(mutex);
                waiting = true;
                saw_stop = woken.wait_for(lock, token, std::chrono::minutes(10), [] { return false; }) || token.stop_requested();
            });
            QTRY_VERIFY(waiting);
        }  // the window closes here: the destructor requests stop and joins
        QVERIFY(saw_stop);
    }

    void workPostedBeforeStartRunsOnTheThread()
    {
        app::WorkerThread thread(QStringLiteral("test"));
        thread.adopt(new QObject);
        std::atomic<QThread*> ran_on = nullptr;
        thread.post([&] { ran_on = QThread::currentThread(); });
        QCOMPARE(ran_on.load(), nullptr);
        thread.start();
        thread.post_and_wait([] {});
        QVERIFY(ran_on.load() != nullptr);
        QVERIFY(ran_on.load() != QThread::currentThread());
    }
};

NFTTERM_TEST_GUILESS(WorkerThreadTest)
#include "worker_thread_test.moc"
