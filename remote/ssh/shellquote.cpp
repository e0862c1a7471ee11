// SPDX-License-Identifier: GPL-3.0-or-later
#include "remote/ssh/shellquote.h"

namespace wmw::ssh {

std::optional<QByteArray> shellQuote(const QByteArray &text)
{
    if (text.contains('\0'))
        return std::nullopt;
    QByteArray quoted;
    quoted.reserve(text.size() + 2);
    quoted += '\'';
    for (const char c : text) {
        if (c == '\'')
            quoted += "'\\''";
        else
            quoted += c;
    }
    quoted += '\'';
    return quoted;
}

std::optional<QByteArray> shellQuote(const QString &text)
{
    return shellQuote(text.toUtf8());
}

} // namespace wmw::ssh
