#pragma once

#include <QWidget>

class QLabel;
class QPushButton;

namespace nftterm::ui {

/// What a first start shows instead of an empty table: why there is nothing
/// to watch yet, and the three ways to start (the demo devnet, a node of
/// one's own, an account).
class WelcomePage : public QWidget {
    Q_OBJECT
public:
    explicit WelcomePage(QWidget* parent = nullptr);

    /// Why the terminal has nothing to watch (the setup's problem, in words).
    void setReason(const QString& reason);
    /// A step under way or its failure ("Starting the demo devnet…"); the buttons wait while busy.
    void setProgress(const QString& text, bool busy);

Q_SIGNALS:
    void demoRequested();
    void connectRequested();
    void addAccountRequested();

private:
    QLabel* m_reason = nullptr;
    QLabel* m_progress = nullptr;
    QList<QPushButton*> m_buttons;
};

}  // namespace nftterm::ui
