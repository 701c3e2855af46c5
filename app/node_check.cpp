#include "node_check.hpp"

#include "error_words.hpp"

#include <protocols/eth/rpc/endpoint_url.hpp>
#include <protocols/eth/rpc/eth_api.hpp>
#include <protocols/eth/rpc/rpc_client.hpp>
#include <protocols/positions/registry.hpp>
#include <wallet/accounts/atomic_file.hpp>

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>

#include <nlohmann/json.hpp>

namespace nftterm::app {

namespace {

/// "ethereum-mainnet.json" → "Ethereum mainnet".
QString registry_name(const QString& path)
{
    QString name = QFileInfo(path).completeBaseName().replace(u'-', u' ');
    if (!name.isEmpty()) name[0] = name[0].toUpper();
    return name;
}

}  // namespace

ui::NodeAnswer check_node(const QString& endpoint)
{
    ui::NodeAnswer answer;
    const std::string url = endpoint.trimmed().toStdString();
    if (auto allowed = protocols::eth::check_endpoint_url(url, false); !allowed) {
        answer.error = words(allowed.error());
        return answer;
    }
    protocols::eth::RpcClientOptions options;
    options.urls = {url};
    options.read_rounds = 1;
    options.transport.connect_timeout = std::chrono::seconds(5);
    options.transport.total_timeout = std::chrono::seconds(10);
    protocols::eth::RpcClient client(options);
    auto chain = client.chain_id();
    if (!chain) {
        answer.error = words(chain.error());
        return answer;
    }
    auto block = protocols::eth::block_number(client);
    if (!block) {
        answer.error = words(block.error());
        return answer;
    }
    answer.ok = true;
    answer.chain_id = *chain;
    answer.block = *block;
    // The software's name is only shown: a node that keeps it to itself is fine.
    if (auto version = client.call("web3_clientVersion"); version) {
        try {
            answer.client = QString::fromStdString(nlohmann::json::parse(*version).get<std::string>()).left(80);
        } catch (const nlohmann::json::exception&) {
        }
    }
    return answer;
}

RegistryFile read_registry_file(const QString& path)
{
    RegistryFile file;
    auto text = wallet::read_small_file(path.toStdString());
    if (!text) {
        file.error = QObject::tr("Cannot read %1: %2").arg(path, QString::fromStdString(text.error().message()));
        return file;
    }
    auto registry = protocols::positions::registry_from_json(*text);
    if (!registry) {
        file.error = QObject::tr("%1 is not a registry: %2").arg(path, words(registry.error()));
        return file;
    }
    file.choice = {registry_name(path), QFileInfo(path).absoluteFilePath(), registry->chain_id};
    return file;
}

QList<ui::RegistryChoice> shipped_registries()
{
    const QDir installed(QDir(QCoreApplication::applicationDirPath()).filePath(QStringLiteral("../share/nftterm/registries")));
    QDir dir = installed;
#ifdef NFTTERM_BUILD_DIR
    // The build tree's own binary reads the source tree's registries; an installed one never does.
    if (!installed.exists() && QFileInfo(QCoreApplication::applicationFilePath()).canonicalFilePath().startsWith(QStringLiteral(NFTTERM_BUILD_DIR)))
        dir = QDir(QStringLiteral(NFTTERM_SOURCE_REGISTRIES));
#endif
    QList<ui::RegistryChoice> choices;
    for (const auto& entry : dir.entryInfoList({QStringLiteral("*.json")}, QDir::Files, QDir::Name)) {
        const auto file = read_registry_file(entry.absoluteFilePath());
        if (file.error.isEmpty()) choices.append(file.choice);
    }
    // Ethereum mainnet first: what most users connect to.
    std::stable_sort(choices.begin(), choices.end(), [](const auto& a, const auto& b) { return (a.chain_id == 1) > (b.chain_id == 1); });
    return choices;
}

}  // namespace nftterm::app
