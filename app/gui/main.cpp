#include <app/account_controller.hpp>
#include <app/first_run.hpp>
#include <app/action_controller.hpp>
#include <app/settings_controller.hpp>
#include <app/monitor_bridge.hpp>
#include <app/terminal.hpp>
#include <ui/models/position_table_model.hpp>
#include <ui/main_window.hpp>

#include <wallet/accounts/account_store.hpp>

#include <curl/curl.h>

#include <QAction>
#include <QApplication>
#include <QGuiApplication>
#include <QScreen>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QProcess>
#include <QPushButton>
#include <QSettings>
#include <QStatusBar>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <string_view>
#include <functional>
#include <memory>

using namespace nftterm;

int main(int argc, char** argv)
{
    QElapsedTimer since_start;
    since_start.start();
    // libcurl is set up once, before any thread starts (curl_easy_init(3)).
    curl_global_init(CURL_GLOBAL_DEFAULT);
    // --version and --help answer without a display (a package's smoke test, a terminal over ssh).
    const bool info_only = std::any_of(argv + 1, argv + argc, [](const char* arg) {
        const std::string_view a(arg);
        return a == "--version" || a == "-v" || a == "--help" || a == "-h" || a == "--help-all";
    });
    std::unique_ptr<QCoreApplication> application =
        info_only ? std::make_unique<QCoreApplication>(argc, argv) : std::make_unique<QApplication>(argc, argv);
    QCoreApplication& app = *application;
    QApplication::setOrganizationName(QStringLiteral("nftterm"));
    QApplication::setApplicationName(QStringLiteral("nftterm"));
    QApplication::setApplicationVersion(QStringLiteral(NFTTERM_VERSION));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Desktop trading terminal for NFT margin positions"));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption registry(QStringLiteral("registry"),
                                      QStringLiteral("Where the protocols live (a registry or devnet manifest; default: the devnet's)."),
                                      QStringLiteral("FILE"));
    const QCommandLineOption rpc_url(QStringLiteral("rpc-url"), QStringLiteral("The node (default: the one the devnet manifest names). Give it again for more endpoints: the first serves, the others take over and confirm critical alerts."),
                                     QStringLiteral("URL"));
    const QCommandLineOption poll(QStringLiteral("poll-ms"), QStringLiteral("How often to look for a new block (default 1000)."),
                                  QStringLiteral("MS"));
    const QCommandLineOption screenshot(QStringLiteral("screenshot"), QStringLiteral("Save a picture of the window to FILE before quitting."),
                                        QStringLiteral("FILE"));
    const QCommandLineOption quit_after(QStringLiteral("quit-after"), QStringLiteral("Quit after SECONDS."), QStringLiteral("SECONDS"));
    const QCommandLineOption top_up(QStringLiteral("top-up"), QStringLiteral("Open the top-up dialog of position ID once it is shown."),
                                    QStringLiteral("ID"));
    const QCommandLineOption select(QStringLiteral("select"), QStringLiteral("Select position ID once it is shown (its details and charts)."),
                                    QStringLiteral("ID"));
    const QCommandLineOption chart(QStringLiteral("chart"), QStringLiteral("Show this chart first: price, health, funding, stress or depth."),
                                   QStringLiteral("NAME"));
    const QCommandLineOption open_dialog(QStringLiteral("open"), QStringLiteral("Open a dialog at start: settings, add-account, trade or about; or, on the first-run page, demo (its demo devnet) or connect (its Connect to a node)."),
                                         QStringLiteral("DIALOG"));
    const QCommandLineOption startup_time(QStringLiteral("startup-time"),
                                          QStringLiteral("Print the time from start to the first painted frame with live rows, then quit "
                                                         "(tests/bench/cold_start.sh)."));
    const QCommandLineOption insecure_http(QStringLiteral("allow-insecure-http"),
                                           QStringLiteral("Talk plain http:// to a node on another machine (anyone on the way could change its answers)."));
    const QCommandLineOption simulate(QStringLiteral("simulate"),
                                      QStringLiteral("Run the devnet's market simulator (nftterm-cli devnet simulate) while the window is open."));
    parser.addOptions({insecure_http, registry, rpc_url, poll, screenshot, quit_after, top_up, select, chart, open_dialog, startup_time, simulate});
    parser.process(app);

    ui::MainWindow window;
    window.setAboutText(QStringLiteral("Version %1<br>Qt %2 (built with %3)<br>libsecp256k1 %4<br>Devnet contracts: %5")
                            .arg(QStringLiteral(NFTTERM_VERSION), QString::fromLatin1(qVersion()), QStringLiteral(QT_VERSION_STR),
                                 QStringLiteral(NFTTERM_SECP256K1_VERSION), QStringLiteral(NFTTERM_CONTRACTS_BUILD)));
    QSettings settings;
    window.restoreLayout(settings);

    app::TerminalOptions options;
    options.data_dir = wallet::AccountStore::default_folder();
    if (parser.isSet(registry)) options.registry = std::filesystem::path(parser.value(registry).toStdString());
    for (const QString& url : parser.values(rpc_url)) options.rpc_urls.push_back(url.toStdString());
    if (parser.isSet(poll)) options.poll_ms = parser.value(poll).toInt();
    options.allow_insecure_http = parser.isSet(insecure_http);
    app::Terminal terminal(window, settings, options);
    // Nothing to watch (no node, no registry): the welcome page says why and offers the ways to start.
    app::FirstRun first_run(window, terminal, QCoreApplication::arguments().mid(1));
    if (!terminal.ready()) {
        window.statusBar()->showMessage(terminal.problem());
        // A first start reads best in words; a registry or node the user chose that fails, in its own.
        std::error_code ignored;
        const bool first_start = !parser.isSet(registry) && terminal.settings() && terminal.settings()->current().registry.isEmpty()
                              && !std::filesystem::exists(options.data_dir / "devnet" / "manifest.json", ignored);
        window.showWelcome(first_start ? QObject::tr("no node or registry is set up, and no demo devnet runs on this machine.")
                                       : terminal.problem());
    }
    // The demo's market, as the quick start runs it: a child of the window, stopped when it closes.
    QProcess simulator;
    if (parser.isSet(simulate) && terminal.ready()) {
        const QString log = QString::fromStdString((options.data_dir / "devnet" / "simulator.log").string());
        simulator.setStandardOutputFile(log);
        simulator.setStandardErrorFile(log, QIODevice::Append);
        simulator.start(app::sibling_cli(), {QStringLiteral("devnet"), QStringLiteral("simulate")});
    }
    // Once a position is in the table (the first snapshot), select it or open its top-up.
    const auto once_shown = [&](const QString& id, std::function<bool()> act) {
        auto done = std::make_shared<bool>(false);
        QObject::connect(terminal.monitor(), &app::MonitorBridge::snapshotReady, &window, [&window, id, act, done] {
            if (!*done && window.positionModel()->rowOf(id.toStdString()) >= 0) *done = act();
        }, Qt::QueuedConnection);
    };
    if (terminal.ready() && parser.isSet(select)) {
        const QString id = parser.value(select);
        once_shown(id, [&window, id] { return window.selectPosition(id); });
    }
    if (terminal.ready() && parser.isSet(top_up)) {
        const QString id = parser.value(top_up);
        once_shown(id, [&terminal, id] {
            terminal.actions()->openTopUp(id);
            return true;
        });
    }
    if (terminal.ready() && parser.isSet(startup_time)) {
        // The first snapshot with rows, painted: what a user waits for after launching.
        QObject::connect(terminal.monitor(), &app::MonitorBridge::snapshotReady, &window, [&window, &since_start] {
            if (window.positionModel()->rowCount() == 0) return;
            window.repaint();
            std::printf("first frame with %d live rows: %lld ms after main()\n", window.positionModel()->rowCount(),
                        static_cast<long long>(since_start.elapsed()));
            std::fflush(stdout);
            QApplication::quit();
        }, Qt::QueuedConnection);
    }
    terminal.start();
    if (parser.value(open_dialog) == QStringLiteral("settings")) QTimer::singleShot(0, terminal.settings(), &app::SettingsController::openDialog);
    if (parser.value(open_dialog) == QStringLiteral("trade")) QTimer::singleShot(0, &window, &ui::MainWindow::tradeRequested);
    if (parser.value(open_dialog) == QStringLiteral("add-account")) QTimer::singleShot(0, terminal.accounts(), &app::AccountController::openAddDialog);
    // The welcome page's first choice, as if clicked (documentation; only while there is nothing to watch).
    if (parser.value(open_dialog) == QStringLiteral("demo") && !terminal.ready())
        QTimer::singleShot(0, &window, [&window] { window.findChild<QPushButton*>(QStringLiteral("welcomeDemo"))->click(); });
    if (parser.value(open_dialog) == QStringLiteral("connect") && !terminal.ready())
        QTimer::singleShot(0, &window, [&window] { window.findChild<QPushButton*>(QStringLiteral("welcomeConnect"))->click(); });
    if (parser.value(open_dialog) == QStringLiteral("about"))
        QTimer::singleShot(0, &window, [&window] { window.findChild<QAction*>(QStringLiteral("aboutAction"))->trigger(); });
    if (parser.isSet(chart)) window.showChart(parser.value(chart));
    window.show();

    if (parser.isSet(quit_after)) {
        bool ok = false;
        const double seconds = parser.value(quit_after).toDouble(&ok);
        const int ms = ok && seconds > 0 ? static_cast<int>(seconds * 1000) : 0;
        const QString file = parser.value(screenshot);
        QTimer::singleShot(ms, &window, [&window, file] {
            // The whole screen on a real (or virtual X) display, so that open dialogs are in the picture.
            auto* screen = QGuiApplication::primaryScreen();
            const bool whole_screen = QGuiApplication::platformName() == QStringLiteral("xcb") && screen;
            if (!file.isEmpty()) (whole_screen ? screen->grabWindow(0) : window.grab()).save(file);
            QApplication::quit();
        });
    }
    const int code = QApplication::exec();
    window.saveLayout(settings);
    if (simulator.state() != QProcess::NotRunning) {
        simulator.terminate();
        if (!simulator.waitForFinished(3000)) simulator.kill();
        simulator.waitForFinished(1000);
    }
    return code;
}
