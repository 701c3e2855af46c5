#pragma once

#include <QDialog>
#include <QList>
#include <QString>

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;

namespace nftterm::ui {

/// A registry the terminal ships (or one the user picked): its file and chain.
struct RegistryChoice {
    QString name;
    QString path;
    quint64 chain_id = 0;
};

/// What a node answered to the connection check.
struct NodeAnswer {
    bool ok = false;
    quint64 chain_id = 0;
    quint64 block = 0;
    QString client;
    /// Why the check failed, in words the user can act on.
    QString error;
};

/// The first run's *Connect to a node*: an endpoint, a check of what it
/// answers (its chain, its head, its software), and the registry for that
/// chain (the shipped ones, or a file). Connect stays disabled until the
/// node answered and the registry is for the node's chain: a terminal
/// pointed at the wrong chain would read nothing, or worse, something else.
class ConnectDialog : public QDialog {
    Q_OBJECT
public:
    ConnectDialog(QList<RegistryChoice> registries, QWidget* parent = nullptr);

    QString endpoint() const;
    /// The registry chosen (a shipped one, or a file picked with "Other file…").
    RegistryChoice registry() const;
    /// The node's answer to the last check (its chain picks the registry when one matches).
    void showAnswer(const NodeAnswer& answer);
    /// Adds (and selects) a registry file the user picked elsewhere, for tests and "Other file…".
    void addRegistry(const RegistryChoice& choice);

Q_SIGNALS:
    void checkRequested(const QString& endpoint);
    /// A registry file to read the chain of: the app answers with addRegistry() or showProblem().
    void registryFileChosen(const QString& path);

public Q_SLOTS:
    void showProblem(const QString& text);

private:
    void endpointEdited();
    void registryPicked(int index);
    void updateVerdict();

    QList<RegistryChoice> m_registries;
    NodeAnswer m_answer;
    QString m_checked_endpoint;
    QLineEdit* m_endpoint = nullptr;
    QPushButton* m_check = nullptr;
    QLabel* m_node = nullptr;
    QComboBox* m_registry = nullptr;
    QLabel* m_verdict = nullptr;
    QPushButton* m_connect = nullptr;
};

}  // namespace nftterm::ui
