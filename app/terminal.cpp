// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/terminal.h"

#include "config/validation.h"

#include <QByteArray>
#include <QTextStream>

#include <cstdio>
#include <termios.h>
#include <unistd.h>

namespace wmw::app {

std::optional<QString> readLine()
{
    QByteArray line;
    int c = 0;
    while ((c = std::fgetc(stdin)) != EOF && c != '\n') {
        line.append(char(c));
        if (line.size() > 65536)
            break;
    }
    if (c == EOF && line.isEmpty())
        return std::nullopt;
    QString text = QString::fromUtf8(line);
    // A pasted password often carries its line break (CRLF from a Windows clipboard).
    config::Validation::stripTrailingLineBreaks(text);
    return text;
}

std::optional<QString> prompt(const QString &question, bool echo)
{
    QTextStream err(stderr);
    err << question << Qt::flush;
    termios old = {};
    const bool terminal = !echo && ::tcgetattr(STDIN_FILENO, &old) == 0;
    if (terminal) {
        termios quiet = old;
        quiet.c_lflag &= ~tcflag_t(ECHO);
        ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
    }
    const std::optional<QString> answer = readLine();
    if (terminal) {
        ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
        err << Qt::endl; // the user's Return was not echoed
    }
    return answer;
}

} // namespace wmw::app
