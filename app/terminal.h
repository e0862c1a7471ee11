// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

#include <optional>

namespace wmw::app {

/// One line of standard input without its line break (CR/LF of a pasted password stripped);
/// std::nullopt at the end of the input. Lines are cut at 64 KiB.
std::optional<QString> readLine();

/// Asks `question` on stderr and reads the answer with the terminal's echo off (unless `echo`),
/// so a password never shows on the screen.
std::optional<QString> prompt(const QString &question, bool echo = false);

} // namespace wmw::app
