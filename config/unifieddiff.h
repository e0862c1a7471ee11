// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

namespace wmw::config {

// One side of a diff. `shown`, when not empty, holds the lines as they are printed (one per
// line of `bytes`, without line ends): the diff compares the real lines, so a changed password
// still shows as a changed line, but prints the redacted ones.
struct DiffSide
{
    QByteArray bytes;
    bool exists = true; // false: printed as /dev/null
    QString label; // after --- or +++
    QList<QByteArray> shown;
};

// The lines of `bytes` as diff sees them, each without its \n; a last line without a \n is a
// line too (diff marks it "\ No newline at end of file").
QList<QByteArray> diffLines(const QByteArray &bytes);

// A unified diff in the format of `diff -u` (hunks merged when their context would overlap;
// `\ No newline at end of file` markers), so `patch` applies it. Empty when the sides are equal.
// Deterministic: the same inputs give the same bytes.
QByteArray unifiedDiff(const DiffSide &from, const DiffSide &to, int context = 3);

} // namespace wmw::config
