// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QLoggingCategory>

// wmw.remote.ssh: connection, host key and authentication steps, command exit statuses.
// wmw.remote.ssh.trace: libssh's own log (off by default). Neither ever carries a secret:
// passwords, passphrases and keyboard-interactive answers are not logged at any level.
Q_DECLARE_LOGGING_CATEGORY(lcSsh)
Q_DECLARE_LOGGING_CATEGORY(lcSshTrace)
