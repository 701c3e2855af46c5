#pragma once

#include <ui/dialogs/connect_dialog.hpp>

#include <QList>
#include <QString>

namespace nftterm::app {

/// Asks `endpoint` for its chain id, head block and client version (one
/// round, short timeouts: a person is waiting). Refuses plain http to
/// another machine before sending anything. Blocking: call it off the GUI thread.
ui::NodeAnswer check_node(const QString& endpoint);

/// A registry file's name and chain, or why it is not a registry.
struct RegistryFile {
    ui::RegistryChoice choice;
    QString error;
};
RegistryFile read_registry_file(const QString& path);

/// The registries the terminal ships: PREFIX/share/nftterm/registries next
/// to an installed binary, else the source tree's for the build tree's own.
QList<ui::RegistryChoice> shipped_registries();

}  // namespace nftterm::app
