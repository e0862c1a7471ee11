// SPDX-License-Identifier: GPL-3.0-or-later
#include "remote/ssh/sshlogging.h"

Q_LOGGING_CATEGORY(lcSsh, "wmw.remote.ssh", QtInfoMsg)
Q_LOGGING_CATEGORY(lcSshTrace, "wmw.remote.ssh.trace", QtWarningMsg)
