// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QWidget>

#include <functional>

class QLabel;
class QLineEdit;
class QToolButton;

namespace wmw {

/// A password edit with buttons to show it, copy it and (optionally) generate a new one. A
/// pasted line break at the end is removed, and a note says so: a password that silently
/// ends in "\n" never works.
class PasswordField : public QWidget
{
    Q_OBJECT
public:
    /// `generator`: when set, a "New" button replaces the password with its result.
    explicit PasswordField(std::function<QString()> generator = {}, QWidget *parent = nullptr);

    QString password() const;
    /// Sets the text without emitting passwordEdited().
    void setPassword(const QString &password);
    QLineEdit *lineEdit() const { return m_edit; }
    bool isRevealed() const;

signals:
    void passwordEdited(const QString &password);

private:
    void onEdited(const QString &text);

    std::function<QString()> m_generator;
    QLineEdit *m_edit = nullptr;
    QToolButton *m_reveal = nullptr;
    QLabel *m_note = nullptr;
};

} // namespace wmw
