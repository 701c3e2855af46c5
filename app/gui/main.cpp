#include <app/account_rows.hpp>
#include <ui/main_window.hpp>

#include <wallet/accounts/account_store.hpp>

#include <QApplication>
#include <QStatusBar>
#include <QCommandLineParser>
#include <QTimer>

int main(int argc, char** argv)
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("nftterm"));
    QApplication::setApplicationVersion(QStringLiteral(NFTTERM_VERSION));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Desktop trading terminal for NFT margin positions"));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption screenshot(QStringLiteral("screenshot"),
                                        QStringLiteral("Save a picture of the window to FILE before quitting."),
                                        QStringLiteral("FILE"));
    const QCommandLineOption quit_after(QStringLiteral("quit-after"), QStringLiteral("Quit after SECONDS."),
                                        QStringLiteral("SECONDS"));
    parser.addOption(screenshot);
    parser.addOption(quit_after);
    parser.process(app);

    nftterm::ui::MainWindow window;
    auto store = nftterm::wallet::AccountStore::open(nftterm::wallet::AccountStore::default_folder());
    if (store) {
        window.setAccounts(nftterm::app::account_rows(store->accounts()));
    } else {
        window.setAccounts({});
        window.statusBar()->showMessage(QString::fromStdString(store.error().message()));
    }
    window.show();

    if (parser.isSet(quit_after)) {
        bool ok = false;
        const double seconds = parser.value(quit_after).toDouble(&ok);
        const int ms = ok && seconds > 0 ? static_cast<int>(seconds * 1000) : 0;
        const QString file = parser.value(screenshot);
        QTimer::singleShot(ms, &window, [&window, file] {
            if (!file.isEmpty()) window.grab().save(file);
            QApplication::quit();
        });
    }
    return QApplication::exec();
}
