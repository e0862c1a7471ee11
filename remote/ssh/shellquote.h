// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QString>

#include <optional>

namespace wmw::ssh {

/// The only way user data enters a remote command line: one POSIX-shell word that the remote
/// shell turns back into exactly `text`, byte for byte. Everything goes inside single quotes,
/// where no character is special; a single quote itself becomes '\'' (close, escaped quote,
/// reopen). Newlines, `$(...)`, backticks, `;` and non-ASCII bytes need nothing more.
/// A NUL byte cannot be part of any command-line argument, so such text gives std::nullopt.
[[nodiscard]] std::optional<QByteArray> shellQuote(const QByteArray &text);

/// The same for text, sent as UTF-8.
[[nodiscard]] std::optional<QByteArray> shellQuote(const QString &text);

} // namespace wmw::ssh
