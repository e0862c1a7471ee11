// SPDX-License-Identifier: GPL-3.0-or-later
#include "wizard/pages/sshdialogs.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace wmw {

namespace {
QLabel *selectable(const QString &text)
{
    auto *label = new QLabel(text);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    label->setTextFormat(Qt::PlainText);
    return label;
}
} // namespace

HostKeyDialog::HostKeyDialog(const ssh::HostKeyInfo &info, QWidget *parent)
    : QDialog(parent)
{
    setObjectName(QStringLiteral("hostKeyDialog"));
    setWindowTitle(tr("Unknown host key"));
    auto *intro = new QLabel(
            tr("This is the first connection to %1 from this laptop. Compare the key's "
               "fingerprint with the one the Pi shows for \"ssh-keygen -lf "
               "/etc/ssh/ssh_host_ed25519_key.pub\". Accept only if they are the same: a "
               "different key means someone else answers in the Pi's name.")
                    .arg(info.port == 22 ? info.host
                                         : QStringLiteral("%1:%2").arg(info.host).arg(info.port)));
    intro->setWordWrap(true);

    auto *fingerprint = selectable(info.fingerprint);
    fingerprint->setObjectName(QStringLiteral("fingerprint"));
    QFont mono = fingerprint->font();
    mono.setFamily(QStringLiteral("monospace"));
    mono.setStyleHint(QFont::Monospace);
    fingerprint->setFont(mono);
    auto *form = new QFormLayout;
    form->addRow(tr("Key type:"), selectable(info.keyType));
    form->addRow(tr("Fingerprint:"), fingerprint);
    form->addRow(tr("Saved in:"),
                 selectable(info.knownHostsFile.isEmpty() ? QStringLiteral("~/.ssh/known_hosts")
                                                          : info.knownHostsFile));

    auto *buttons = new QDialogButtonBox;
    auto *accept = buttons->addButton(tr("&Accept and remember"), QDialogButtonBox::AcceptRole);
    accept->setObjectName(QStringLiteral("acceptKey"));
    auto *refuse = buttons->addButton(tr("&Refuse"), QDialogButtonBox::RejectRole);
    refuse->setObjectName(QStringLiteral("refuseKey"));
    // Refusing is the safe choice a stray Return should make.
    refuse->setDefault(true);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addLayout(form);
    layout->addWidget(buttons);
}

CredentialDialog::CredentialDialog(const ssh::CredentialRequest &request, QWidget *parent)
    : QDialog(parent)
{
    setObjectName(QStringLiteral("credentialDialog"));
    using Kind = ssh::CredentialRequest::Kind;
    QString intro;
    switch (request.kind) {
    case Kind::Passphrase:
        setWindowTitle(tr("Key passphrase"));
        intro = tr("The SSH key is protected by a passphrase.");
        break;
    case Kind::Password:
        setWindowTitle(tr("SSH password"));
        intro = tr("%1 asks for the password of %2.").arg(request.host, request.user);
        break;
    case Kind::KeyboardInteractive:
        setWindowTitle(request.name.isEmpty() ? tr("SSH login") : request.name);
        intro = request.instruction.isEmpty()
                        ? tr("%1 asks for %2:").arg(request.host, request.user)
                        : request.instruction;
        break;
    }
    auto *label = new QLabel(intro);
    label->setWordWrap(true);
    label->setTextFormat(Qt::PlainText);
    auto *form = new QFormLayout;
    for (qsizetype i = 0; i < request.prompts.size(); ++i) {
        auto *edit = new QLineEdit;
        edit->setObjectName(QStringLiteral("answer%1").arg(i));
        const bool echo = i < request.echo.size() && request.echo.at(i);
        edit->setEchoMode(echo ? QLineEdit::Normal : QLineEdit::Password);
        QString prompt = request.prompts.at(i).trimmed();
        if (prompt.isEmpty())
            prompt = request.kind == Kind::Passphrase ? tr("Passphrase:") : tr("Password:");
        form->addRow(prompt, edit);
        m_edits.append(edit);
    }
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(label);
    layout->addLayout(form);
    layout->addWidget(buttons);
}

QStringList CredentialDialog::answers() const
{
    QStringList out;
    for (const QLineEdit *edit : m_edits)
        out << edit->text();
    return out;
}

} // namespace wmw
