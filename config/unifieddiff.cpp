// SPDX-License-Identifier: GPL-3.0-or-later
#include "config/unifieddiff.h"

#include <algorithm>
#include <vector>

namespace wmw::config {

namespace {

enum class Op { Equal, Delete, Insert };

// Each line keeps its \n, so "x" at the very end and "x\n" differ, as they do for diff.
QList<QByteArray> segments(const QByteArray &bytes)
{
    QList<QByteArray> out;
    qsizetype pos = 0;
    while (pos < bytes.size()) {
        const qsizetype nl = bytes.indexOf('\n', pos);
        const qsizetype end = nl < 0 ? bytes.size() : nl + 1;
        out.append(bytes.mid(pos, end - pos));
        pos = end;
    }
    return out;
}

// Myers' O(ND) greedy shortest edit script between a[lo..] and b[lo..] after the common
// prefix and suffix are cut off (most plans change a few lines of a long file).
std::vector<Op> editScript(const QList<QByteArray> &a, const QList<QByteArray> &b)
{
    const int n = int(a.size());
    const int m = int(b.size());
    int prefix = 0;
    while (prefix < n && prefix < m && a.at(prefix) == b.at(prefix))
        ++prefix;
    int suffix = 0;
    while (suffix < n - prefix && suffix < m - prefix
           && a.at(n - 1 - suffix) == b.at(m - 1 - suffix))
        ++suffix;
    const int N = n - prefix - suffix;
    const int M = m - prefix - suffix;
    auto A = [&](int i) -> const QByteArray & {
        return a.at(prefix + i);
    };
    auto B = [&](int j) -> const QByteArray & {
        return b.at(prefix + j);
    };

    std::vector<Op> middle;
    if (N == 0 || M == 0) {
        middle.insert(middle.end(), size_t(N), Op::Delete);
        middle.insert(middle.end(), size_t(M), Op::Insert);
    } else {
        const int max = N + M;
        const int offset = max;
        std::vector<int> v(size_t(2 * max + 2), 0);
        std::vector<std::vector<int>> trace;
        int found = -1;
        for (int d = 0; d <= max && found < 0; ++d) {
            trace.push_back(v);
            for (int k = -d; k <= d; k += 2) {
                int x;
                if (k == -d || (k != d && v[size_t(offset + k - 1)] < v[size_t(offset + k + 1)]))
                    x = v[size_t(offset + k + 1)];
                else
                    x = v[size_t(offset + k - 1)] + 1;
                int y = x - k;
                while (x < N && y < M && A(x) == B(y)) {
                    ++x;
                    ++y;
                }
                v[size_t(offset + k)] = x;
                if (x >= N && y >= M) {
                    found = d;
                    break;
                }
            }
        }
        // Walk back through the saved frontiers.
        int x = N;
        int y = M;
        for (int d = found; d > 0; --d) {
            const std::vector<int> &pv = trace[size_t(d)];
            const int k = x - y;
            int prevK;
            if (k == -d || (k != d && pv[size_t(offset + k - 1)] < pv[size_t(offset + k + 1)]))
                prevK = k + 1;
            else
                prevK = k - 1;
            const int prevX = pv[size_t(offset + prevK)];
            const int prevY = prevX - prevK;
            while (x > prevX && y > prevY) {
                middle.push_back(Op::Equal);
                --x;
                --y;
            }
            middle.push_back(x == prevX ? Op::Insert : Op::Delete);
            x = prevX;
            y = prevY;
        }
        while (x > 0 && y > 0) {
            middle.push_back(Op::Equal);
            --x;
            --y;
        }
        std::reverse(middle.begin(), middle.end());
    }
    std::vector<Op> ops(size_t(prefix), Op::Equal);
    ops.insert(ops.end(), middle.begin(), middle.end());
    ops.insert(ops.end(), size_t(suffix), Op::Equal);
    return ops;
}

// diff's range: "start,count", just "start" for one line, "start-1,0" for none.
QByteArray range(int start, int count)
{
    if (count == 0)
        return QByteArray::number(start - 1) + ",0";
    if (count == 1)
        return QByteArray::number(start);
    return QByteArray::number(start) + ',' + QByteArray::number(count);
}

} // namespace

QList<QByteArray> diffLines(const QByteArray &bytes)
{
    QList<QByteArray> lines = segments(bytes);
    for (QByteArray &line : lines) {
        if (line.endsWith('\n'))
            line.chop(1);
    }
    return lines;
}

QByteArray unifiedDiff(const DiffSide &from, const DiffSide &to, int context)
{
    const QByteArray fromBytes = from.exists ? from.bytes : QByteArray();
    const QByteArray toBytes = to.exists ? to.bytes : QByteArray();
    if (fromBytes == toBytes && from.exists == to.exists)
        return QByteArray();
    const QList<QByteArray> a = segments(fromBytes);
    const QList<QByteArray> b = segments(toBytes);
    auto shownLine = [](const DiffSide &side, const QList<QByteArray> &segs, int i) {
        QByteArray line = i < side.shown.size() && side.shown.size() == segs.size()
                                  ? side.shown.at(i)
                                  : segs.at(i);
        if (line.endsWith('\n'))
            line.chop(1);
        return line;
    };

    // Lines of the edit script, with positions in a and b.
    struct Row
    {
        Op op;
        int ai;
        int bi;
    };
    std::vector<Row> rows;
    int ai = 0;
    int bi = 0;
    for (const Op op : editScript(a, b)) {
        rows.push_back({op, ai, bi});
        if (op != Op::Insert)
            ++ai;
        if (op != Op::Delete)
            ++bi;
    }

    QByteArray out;
    out += "--- " + (from.exists ? from.label.toUtf8() : QByteArray("/dev/null")) + '\n';
    out += "+++ " + (to.exists ? to.label.toUtf8() : QByteArray("/dev/null")) + '\n';
    const int total = int(rows.size());
    int i = 0;
    while (i < total) {
        while (i < total && rows[size_t(i)].op == Op::Equal)
            ++i;
        if (i >= total)
            break;
        // A hunk: from `context` lines before the first change to `context` lines after the
        // last change that is at most 2 * context equal lines from the next one.
        const int start = std::max(0, i - context);
        int end = i; // one past the last changed row
        for (int j = i; j < total;) {
            if (rows[size_t(j)].op != Op::Equal) {
                end = ++j;
                continue;
            }
            int k = j;
            while (k < total && rows[size_t(k)].op == Op::Equal)
                ++k;
            if (k >= total || k - j > 2 * context)
                break;
            j = k;
        }
        const int stop = std::min(total, end + context);
        int aCount = 0;
        int bCount = 0;
        for (int j = start; j < stop; ++j) {
            aCount += rows[size_t(j)].op != Op::Insert;
            bCount += rows[size_t(j)].op != Op::Delete;
        }
        out += "@@ -" + range(rows[size_t(start)].ai + 1, aCount) + " +"
               + range(rows[size_t(start)].bi + 1, bCount) + " @@\n";
        // Within a run of changes, deletions print before insertions, as diff does.
        for (int j = start; j < stop;) {
            if (rows[size_t(j)].op == Op::Equal) {
                const Row &r = rows[size_t(j)];
                out += ' ' + shownLine(from, a, r.ai) + '\n';
                if (!a.at(r.ai).endsWith('\n'))
                    out += "\\ No newline at end of file\n";
                ++j;
                continue;
            }
            int k = j;
            while (k < stop && rows[size_t(k)].op != Op::Equal)
                ++k;
            for (int pass = 0; pass < 2; ++pass) {
                const Op want = pass == 0 ? Op::Delete : Op::Insert;
                for (int r = j; r < k; ++r) {
                    const Row &row = rows[size_t(r)];
                    if (row.op != want)
                        continue;
                    const bool del = want == Op::Delete;
                    const QByteArray &seg = del ? a.at(row.ai) : b.at(row.bi);
                    out += (del ? '-' : '+')
                           + (del ? shownLine(from, a, row.ai) : shownLine(to, b, row.bi)) + '\n';
                    if (!seg.endsWith('\n'))
                        out += "\\ No newline at end of file\n";
                }
            }
            j = k;
        }
        i = stop;
    }
    return out;
}

} // namespace wmw::config
