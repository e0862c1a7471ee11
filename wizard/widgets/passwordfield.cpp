// SPDX-License-Identifier: GPL-3.0-or-later
#include "wizard/widgets/passwordfield.h"

#include "config/validation.h"

#include <QApplication>
#include <QClipboard>
#include <QGridLayout>
#include <QLabel>
#include <QLineEdit>
#include <QSignalBlocker>
#include <QToolButton>

namespace wmw {

PasswordField::PasswordField(std::function<QString()> generator, QWidget *parent)
    : QWidget(parent)
    , m_generator(std::move(generator))
{
    m_edit = new QLineEdit;
    m_edit->setEchoMode(QLineEdit::Password);
    m_edit->setInputMethodHints(Qt::ImhHiddenText | Qt::ImhSensitiveData | Qt::ImhNoPredictiveText);
    connect(m_edit, &QLineEdit::textEdited, this, &PasswordField::onEdited);

    m_reveal = new QToolButton;
    m_reveal->setObjectName(QStringLiteral("reveal"));
    m_reveal->setText(tr("Show"));
    m_reveal->setCheckable(true);
    m_reveal->setToolTip(tr("Show or hide the password"));
    connect(m_reveal, &QToolButton::toggled, this, [this](bool shown) {
        m_edit->setEchoMode(shown ? QLineEdit::Normal : QLineEdit::Password);
        m_reveal->setText(shown ? tr("Hide") : tr("Show"));
    });

    auto *copy = new QToolButton;
    copy->setObjectName(QStringLiteral("copy"));
    copy->setText(tr("Copy"));
    copy->setToolTip(tr("Copy the password to the clipboard"));
    connect(copy, &QToolButton::clicked, this,
            [this]() { QApplication::clipboard()->setText(m_edit->text()); });

    m_note = new QLabel;
    m_note->setObjectName(QStringLiteral("note"));
    m_note->setWordWrap(true);
    m_note->setStyleSheet(QStringLiteral("color: #9a6700;"));
    m_note->setVisible(false);

    auto *layout = new QGridLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setHorizontalSpacing(4);
    layout->addWidget(m_edit, 0, 0);
    layout->addWidget(m_reveal, 0, 1);
    layout->addWidget(copy, 0, 2);
    if (m_generator) {
        auto *generate = new QToolButton;
        generate->setObjectName(QStringLiteral("generate"));
        generate->setText(tr("New"));
        generate->setToolTip(tr("Generate a new strong password"));
        connect(generate, &QToolButton::clicked, this, [this]() {
            m_edit->setText(m_generator());
            onEdited(m_edit->text());
        });
        layout->addWidget(generate, 0, 3);
    }
    layout->addWidget(m_note, 1, 0, 1, -1);
    setFocusProxy(m_edit);
}

QString PasswordField::password() const
{
    return m_edit->text();
}

void PasswordField::setPassword(const QString &password)
{
    const QSignalBlocker blocker(m_edit);
    m_edit->setText(password);
    m_note->setVisible(false);
}

bool PasswordField::isRevealed() const
{
    return m_edit->echoMode() == QLineEdit::Normal;
}

void PasswordField::onEdited(const QString &text)
{
    QString password = text;
    if (config::Validation::stripTrailingLineBreaks(password)) {
        const QSignalBlocker blocker(m_edit);
        m_edit->setText(password);
        m_note->setText(tr("A line break at the end of the pasted password was removed."));
        m_note->setVisible(true);
    } else {
        m_note->setVisible(false);
    }
    emit passwordEdited(password);
}

} // namespace wmw
