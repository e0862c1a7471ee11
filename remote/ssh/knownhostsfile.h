// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QList>
#include <QString>

namespace wmw::ssh {

/// The 1-based line numbers of `file` (an OpenSSH known_hosts file) whose host patterns name
/// `host` on `port` (written `[host]:port` unless the port is 22), plain or hashed
/// (`|1|salt|hash`). libssh says only that a known key differs; this is what lets the message name
/// the line to remove. Negated and wildcard patterns are not expanded: they are never the line to
/// delete.
[[nodiscard]] QList<int> knownHostsLines(const QString &file, const QString &host, int port);

} // namespace wmw::ssh
