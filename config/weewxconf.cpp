// SPDX-License-Identifier: GPL-3.0-or-later
#include "config/weewxconf.h"

#include "config/logging.h"

#include <QRegularExpression>
#include <QStringDecoder>

#include <functional>

namespace wmw::config {

namespace {

// Python's str.isspace() and the `\s` of a str pattern: ConfigObj matches decoded lines, so
// U+0085, U+00A0, U+2000.. and the separators U+001C..U+001F count as whitespace too.
const char16_t pyWhitespace[] = u"\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002"
                                u"\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029"
                                u"\u202f\u205f\u3000";

bool isPySpace(QChar c)
{
    for (const char16_t *p = pyWhitespace; *p; ++p) {
        if (c.unicode() == *p)
            return true;
    }
    return false;
}

QString pyStrip(const QString &s)
{
    int begin = 0;
    int end = s.size();
    while (begin < end && isPySpace(s.at(begin)))
        ++begin;
    while (end > begin && isPySpace(s.at(end - 1)))
        --end;
    return s.mid(begin, end - begin);
}

// ConfigObj's patterns, written with `§` for Python's whitespace characters and `\z` for `$`
// (a line never holds a \n, so both mean the end of the line).
QRegularExpression pyRegex(const char *pattern)
{
    QString p = QString::fromUtf8(pattern);
    QString chars;
    for (const char16_t *c = pyWhitespace; *c; ++c)
        chars += QStringLiteral("\\x{%1}").arg(uint(*c), 0, 16);
    p.replace(QChar(u'§'), chars);
    QRegularExpression re(p, QRegularExpression::DotMatchesEverythingOption);
    Q_ASSERT(re.isValid());
    return re;
}

const QRegularExpression &keywordRe()
{
    static const QRegularExpression re =
            pyRegex(R"re(^([§]*)((?:".*?")|(?:'.*?')|(?:[^'"=].*?))[§]*=[§]*(.*)\z)re");
    return re;
}

const QRegularExpression &sectionMarkerRe()
{
    static const QRegularExpression re =
            pyRegex(R"re(^([§]*)((?:\[[§]*)+)((?:"[§]*[^§].*?[§]*")|(?:'[§]*[^§].*?[§]*')|)re"
                    R"re((?:[^'"§].*?))((?:[§]*\])+)[§]*(#.*)?\z)re");
    return re;
}

const QRegularExpression &valueRe()
{
    static const QRegularExpression re = pyRegex(
            R"re(^(?:(?:((?:(?:(?:".*?")|(?:'.*?')|(?:[^'",#][^,#]*?))[§]*,[§]*)*))re"
            R"re(((?:".*?")|(?:'.*?')|(?:[^'",#§][^,]*?)|(?:(?<!,)))?)|(,))[§]*(#.*)?\z)re");
    return re;
}

const QRegularExpression &listValueRe()
{
    static const QRegularExpression re =
            pyRegex(R"re(((?:".*?")|(?:'.*?')|(?:[^'",#]?.*?))[§]*,[§]*)re");
    return re;
}

const QRegularExpression &tripleSingleLineRe(bool doubleQuotes)
{
    static const QRegularExpression single = pyRegex(R"re(^'''(.*?)'''[§]*(#.*)?\z)re");
    static const QRegularExpression dbl = pyRegex(R"re(^"""(.*?)"""[§]*(#.*)?\z)re");
    return doubleQuotes ? dbl : single;
}

const QRegularExpression &tripleLastLineRe(bool doubleQuotes)
{
    static const QRegularExpression single = pyRegex(R"re(^(.*?)'''[§]*(#.*)?\z)re");
    static const QRegularExpression dbl = pyRegex(R"re(^(.*?)"""[§]*(#.*)?\z)re");
    return doubleQuotes ? dbl : single;
}

// ConfigObj's _unquote(); an empty string is its SyntaxError.
std::optional<QString> unquote(const QString &s)
{
    if (s.isEmpty())
        return std::nullopt;
    if (s.size() >= 1 && s.front() == s.back() && (s.front() == u'"' || s.front() == u'\''))
        return s.mid(1, s.size() - 2);
    return s;
}

// ConfigObj's _handle_value() for a one-line value (comment included in `text`). Returns the
// value and the offset in `text` where the value ends (a comment or trailing blanks follow).
std::optional<std::pair<ConfValue, int>> handleValue(const QString &text)
{
    const QRegularExpressionMatch m = valueRe().match(text);
    if (!m.hasMatch())
        return std::nullopt;
    const bool listParticipates = m.capturedStart(1) >= 0;
    const bool singleParticipates = m.capturedStart(2) >= 0;
    const QString listValues = m.captured(1);
    QString single = m.captured(2);
    int end = 0;
    for (int g = 1; g <= 3; ++g)
        end = std::max(end, int(m.capturedEnd(g)));
    if (listParticipates && listValues.isEmpty() && !singleParticipates)
        return std::nullopt;
    if (m.capturedStart(3) >= 0)
        return std::make_pair(ConfValue::fromList({}), end);
    std::optional<QString> singleValue;
    if (singleParticipates) {
        if (!listValues.isEmpty() && single.isEmpty()) {
            // ConfigObj's FIXME: a trailing comma leaves an empty last match
        } else {
            if (single.isEmpty())
                single = QStringLiteral("\"\"");
            singleValue = unquote(single);
            if (!singleValue)
                return std::nullopt;
        }
    }
    if (listValues.isEmpty())
        return std::make_pair(ConfValue::fromString(singleValue.value_or(QString())), end);
    QStringList items;
    auto it = listValueRe().globalMatch(listValues);
    while (it.hasNext()) {
        const std::optional<QString> item = unquote(it.next().captured(1));
        if (!item)
            return std::nullopt;
        items.append(*item);
    }
    if (singleValue)
        items.append(*singleValue);
    return std::make_pair(ConfValue::fromList(items), end);
}

int utf8Length(const QString &s, qsizetype chars)
{
    return int(s.left(chars).toUtf8().size());
}

const QRegularExpression &interpolationRe()
{
    // ConfigParserInterpolation._KEYCRE: WeeWX reads with interpolation='ConfigParser', and
    // ConfigObj has no escape for it.
    static const QRegularExpression re(QStringLiteral(R"(%\(([^)]*)\)s)"));
    return re;
}

std::optional<QString> renderString(const QString &v, bool listMember, QString *why)
{
    auto refuse = [why](const QString &reason) -> std::optional<QString> {
        if (why)
            *why = reason;
        return std::nullopt;
    };
    if (v.isEmpty())
        return QStringLiteral("\"\"");
    if (v.contains(u'\n') || v.contains(u'\r'))
        return refuse(WeewxConf::tr("it contains a line break"));
    if (interpolationRe().match(v).hasMatch())
        return refuse(WeewxConf::tr("it contains %(name)s, which WeeWX would replace"));
    const bool hasSingle = v.contains(u'\'');
    const bool hasDouble = v.contains(u'"');
    if (hasSingle && hasDouble) {
        if (listMember)
            return refuse(WeewxConf::tr("a list member cannot hold both ' and \""));
        const bool tripleDouble = v.contains(QStringLiteral("\"\"\""));
        if (tripleDouble && v.contains(QStringLiteral("'''")))
            return refuse(WeewxConf::tr("it contains both ''' and \"\"\""));
        const QString q = tripleDouble ? QStringLiteral("'''") : QStringLiteral("\"\"\"");
        return q + v + q;
    }
    const bool needsQuotes = isPySpace(v.front()) || isPySpace(v.back()) || v.front() == u'\''
                             || v.front() == u'"' || v.contains(u',') || v.contains(u'#');
    if (!needsQuotes)
        return v;
    const QChar quote = hasDouble ? QChar(u'\'') : QChar(u'"');
    return quote + v + quote;
}

bool validName(const QString &name)
{
    static const QRegularExpression re(QStringLiteral("^[A-Za-z0-9_.\\-]+\\z"));
    return re.match(name).hasMatch();
}

} // namespace

std::optional<QString> WeewxConf::render(const ConfValue &value, QString *why)
{
    if (!value.isList)
        return renderString(value.string, false, why);
    if (value.list.isEmpty())
        return QStringLiteral(",");
    QStringList parts;
    for (const QString &item : value.list) {
        const std::optional<QString> r = renderString(item, true, why);
        if (!r)
            return std::nullopt;
        parts.append(*r);
    }
    return value.list.size() == 1 ? parts.front() + u',' : parts.join(QStringLiteral(", "));
}

WeewxConf WeewxConf::parse(const QByteArray &bytes, WeewxConfStatus *status)
{
    WeewxConf conf;
    QByteArray body = bytes;
    if (body.startsWith("\xEF\xBB\xBF")) {
        conf.m_bom = body.left(3);
        body.remove(0, 3);
    }
    // ConfigObj reads the file with readlines(): lines end at \n only, then every trailing
    // \r and \n is stripped from each.
    qsizetype pos = 0;
    while (pos < body.size()) {
        qsizetype nl = body.indexOf('\n', pos);
        const qsizetype end = nl < 0 ? body.size() : nl + 1;
        qsizetype textEnd = nl < 0 ? end : nl;
        while (textEnd > pos && body.at(textEnd - 1) == '\r')
            --textEnd;
        conf.m_lines.append(Line{body.mid(pos, textEnd - pos), body.mid(textEnd, end - textEnd)});
        pos = end;
    }
    QList<QString> decoded;
    decoded.reserve(conf.m_lines.size());
    for (int i = 0; i < conf.m_lines.size(); ++i) {
        QStringDecoder decoder(QStringDecoder::Utf8,
                               QStringDecoder::Flag::Stateless
                                       | QStringDecoder::Flag::ConvertInitialBom);
        QString text = decoder(conf.m_lines.at(i).text);
        if (decoder.hasError()) {
            *status = WeewxConfStatus::failure(WeewxConfError::NotUtf8, i + 1,
                                               tr("Line %1 is not valid UTF-8.").arg(i + 1));
            return WeewxConf();
        }
        decoded.append(text);
    }
    *status = conf.parseLines(decoded);
    if (!status->ok())
        return WeewxConf();
    return conf;
}

WeewxConfStatus WeewxConf::parseLines(const QList<QString> &decoded)
{
    m_sections = {Section{}};
    int current = 0;
    auto fail = [](WeewxConfError e, int index, const QString &what) {
        return WeewxConfStatus::failure(e, index + 1, tr("Line %1: %2").arg(index + 1).arg(what));
    };
    auto containsName = [this](int section, const QString &name) {
        return findItem(section, name) != nullptr;
    };
    auto touch = [this](int section, int line) {
        for (int s = section;; s = m_sections[s].parent) {
            m_sections[s].lastContentLine = line;
            if (s == 0)
                break;
        }
    };
    const int maxLine = int(decoded.size()) - 1;
    for (int i = 0; i <= maxLine; ++i) {
        const QString &line = decoded.at(i);
        const QString stripped = pyStrip(line);
        if (stripped.isEmpty() || stripped.startsWith(u'#'))
            continue;
        const QRegularExpressionMatch marker = sectionMarkerRe().match(line);
        if (marker.hasMatch()) {
            const int depth = int(marker.captured(2).count(u'['));
            if (depth != int(marker.captured(4).count(u']')))
                return fail(WeewxConfError::Nesting, i,
                            tr("the numbers of [ and ] differ (ConfigObj NestingError)."));
            int parent = 0;
            const int currentDepth = m_sections.at(current).depth;
            if (depth < currentDepth) {
                int s = current;
                while (depth < m_sections.at(s).depth && s != 0)
                    s = m_sections.at(s).parent;
                parent = m_sections.at(s).parent;
            } else if (depth == currentDepth) {
                parent = m_sections.at(current).parent;
            } else if (depth == currentDepth + 1) {
                parent = current;
            } else {
                return fail(WeewxConfError::Nesting, i,
                            tr("section nested deeper than its parent allows (ConfigObj "
                               "NestingError)."));
            }
            const QString name = unquote(marker.captured(3)).value_or(QString());
            if (containsName(parent, name))
                return fail(WeewxConfError::Duplicate, i,
                            tr("section [%1] appears twice (ConfigObj DuplicateError).").arg(name));
            Section section;
            section.name = name;
            section.depth = depth;
            section.parent = parent;
            section.headerLine = i;
            m_sections.append(section);
            current = int(m_sections.size()) - 1;
            Item item;
            item.name = name;
            item.section = current;
            item.firstLine = item.lastLine = i;
            m_sections[parent].items.append(item);
            touch(current, i);
            continue;
        }
        const QRegularExpressionMatch keyword = keywordRe().match(line);
        if (!keyword.hasMatch())
            return fail(WeewxConfError::BadLine, i,
                        tr("neither a [section] nor a key = value line (ConfigObj ParseError)."));
        const QString valueText = keyword.captured(3);
        const int valueOffset = int(keyword.capturedStart(3));
        Item item;
        item.firstLine = item.lastLine = i;
        item.valueStart = utf8Length(line, valueOffset);
        const QString quote = valueText.left(3);
        if (quote == QLatin1String("'''") || quote == QLatin1String("\"\"\"")) {
            const bool dbl = quote.front() == u'"';
            const QRegularExpressionMatch one = tripleSingleLineRe(dbl).match(valueText);
            if (one.hasMatch()) {
                item.value = ConfValue::fromString(one.captured(1));
                item.valueEnd = utf8Length(line, valueOffset + one.capturedEnd(1) + 3);
            } else if (valueText.mid(3).contains(quote)) {
                return fail(WeewxConfError::BadLine, i,
                            tr("a triple-quoted value is not closed properly (ConfigObj "
                               "ParseError)."));
            } else {
                QString value = valueText.mid(3);
                int j = i;
                bool closed = false;
                while (j < maxLine) {
                    ++j;
                    value += u'\n';
                    if (!decoded.at(j).contains(quote)) {
                        value += decoded.at(j);
                    } else {
                        closed = true;
                        break;
                    }
                }
                const QRegularExpressionMatch last =
                        closed ? tripleLastLineRe(dbl).match(decoded.at(j))
                               : QRegularExpressionMatch();
                if (!closed || !last.hasMatch())
                    return fail(WeewxConfError::BadLine, i,
                                tr("a triple-quoted value is not closed properly (ConfigObj "
                                   "ParseError)."));
                item.value = ConfValue::fromString(value + last.captured(1));
                item.lastLine = j;
                item.valueEnd = utf8Length(decoded.at(j), last.capturedEnd(1) + 3);
                i = j;
            }
        } else {
            const auto handled = handleValue(valueText);
            if (!handled)
                return fail(WeewxConfError::BadLine, i,
                            tr("the value cannot be read: unbalanced quotes or a broken list "
                               "(ConfigObj ParseError)."));
            item.value = handled->first;
            item.valueEnd = utf8Length(line, valueOffset + handled->second);
        }
        item.name = unquote(keyword.captured(2)).value_or(QString());
        if (containsName(current, item.name))
            return fail(WeewxConfError::Duplicate, i,
                        tr("key %1 appears twice in its section (ConfigObj DuplicateError).")
                                .arg(item.name));
        m_sections[current].items.append(item);
        touch(current, item.lastLine);
    }
    return WeewxConfStatus::success();
}

QByteArray WeewxConf::toBytes() const
{
    QByteArray out = m_bom;
    for (const Line &line : m_lines)
        out += line.text + line.eol;
    return out;
}

int WeewxConf::findSection(const QStringList &path) const
{
    if (m_sections.isEmpty())
        return path.isEmpty() ? -2 : -1; // -2: an empty file still has a top level
    int s = 0;
    for (const QString &name : path) {
        const Item *item = findItem(s, name);
        if (!item || item->section < 0)
            return -1;
        s = item->section;
    }
    return s;
}

const WeewxConf::Item *WeewxConf::findItem(int section, const QString &name) const
{
    for (const Item &item : m_sections.at(section).items) {
        if (item.name == name)
            return &item;
    }
    return nullptr;
}

bool WeewxConf::hasSection(const QStringList &path) const
{
    return findSection(path) >= 0 || findSection(path) == -2;
}

std::optional<ConfValue> WeewxConf::value(const QStringList &path, const QString &key) const
{
    const int s = findSection(path);
    if (s < 0)
        return std::nullopt;
    const Item *item = findItem(s, key);
    if (!item || item->section >= 0)
        return std::nullopt;
    return item->value;
}

std::optional<std::pair<int, int>> WeewxConf::valueLines(const QStringList &path,
                                                         const QString &key) const
{
    const int s = findSection(path);
    if (s < 0)
        return std::nullopt;
    const Item *item = findItem(s, key);
    if (!item || item->section >= 0)
        return std::nullopt;
    return std::make_pair(item->firstLine + 1, item->lastLine + 1);
}

QStringList WeewxConf::keys(const QStringList &path) const
{
    QStringList out;
    const int s = findSection(path);
    if (s >= 0) {
        for (const Item &item : m_sections.at(s).items) {
            if (item.section < 0)
                out.append(item.name);
        }
    }
    return out;
}

QStringList WeewxConf::sections(const QStringList &path) const
{
    QStringList out;
    const int s = findSection(path);
    if (s >= 0) {
        for (const Item &item : m_sections.at(s).items) {
            if (item.section >= 0)
                out.append(item.name);
        }
    }
    return out;
}

QByteArray WeewxConf::indentUnit() const
{
    // ConfigObj writes indent_type * depth before a key and indent_type * (depth - 1) before a
    // section marker; find the unit this file uses at its first indented line at level >= 1.
    bool sawLevel = false;
    for (const Section &section : m_sections) {
        for (const Item &item : section.items) {
            const int level =
                    item.section >= 0 ? m_sections.at(item.section).depth - 1 : section.depth;
            if (level < 1)
                continue;
            sawLevel = true;
            const QByteArray &text = m_lines.at(item.firstLine).text;
            qsizetype n = 0;
            while (n < text.size() && (text.at(n) == ' ' || text.at(n) == '\t'))
                ++n;
            if (n == 0 || n % level != 0)
                continue;
            const QByteArray unit = text.left(n / level);
            if (unit.repeated(level) == text.left(n))
                return unit;
        }
    }
    // A file whose nested lines are all flush left keeps that style.
    return sawLevel ? QByteArray() : QByteArray("    ");
}

QByteArray WeewxConf::newline() const
{
    // A lone \r does not end a line for ConfigObj (it reads lines up to \n), so only line ends
    // with a \n count as the file's style.
    for (const Line &line : m_lines) {
        if (line.eol.endsWith('\n'))
            return line.eol.endsWith("\r\n") ? QByteArray("\r\n") : QByteArray("\n");
    }
    return "\n";
}

QByteArray WeewxConf::keyIndent(int section) const
{
    // Copy the indentation of the section's last key, else the file's unit times the depth.
    const QList<Item> &items = m_sections.at(section).items;
    for (auto it = items.crbegin(); it != items.crend(); ++it) {
        if (it->section < 0) {
            const QByteArray &text = m_lines.at(it->firstLine).text;
            qsizetype n = 0;
            while (n < text.size() && (text.at(n) == ' ' || text.at(n) == '\t'))
                ++n;
            return text.left(n);
        }
    }
    return indentUnit().repeated(m_sections.at(section).depth);
}

QByteArray WeewxConf::headerIndent(int parent, int depth) const
{
    if (parent >= 0) {
        for (const Item &item : m_sections.at(parent).items) {
            if (item.section >= 0) {
                const QByteArray &text = m_lines.at(item.firstLine).text;
                qsizetype n = 0;
                while (n < text.size() && (text.at(n) == ' ' || text.at(n) == '\t'))
                    ++n;
                return text.left(n);
            }
        }
    }
    return indentUnit().repeated(depth - 1);
}

void WeewxConf::insertLines(int after, QList<Line> lines)
{
    if (lines.isEmpty())
        return;
    const QByteArray eol = newline();
    if (after >= 0 && after == m_lines.size() - 1 && !m_lines.last().eol.endsWith('\n')) {
        // The last line has no \n: give it one, and keep the file's missing final newline (or
        // its stray \r) at the new end.
        const QByteArray oldEol = m_lines.last().eol;
        m_lines.last().eol = oldEol.isEmpty() ? eol : oldEol + '\n';
        lines.last().eol = oldEol;
    }
    for (int k = 0; k < lines.size(); ++k)
        m_lines.insert(after + 1 + k, lines.at(k));
}

QList<std::pair<QString, ConfValue>> WeewxConf::flatten() const
{
    QList<std::pair<QString, ConfValue>> out;
    std::function<void(int, const QString &)> walk = [&](int s, const QString &prefix) {
        for (const Item &item : m_sections.at(s).items) {
            const QString name = prefix + u'\x1f' + item.name;
            if (item.section >= 0) {
                out.append({name + u'\x1e', ConfValue()});
                walk(item.section, name);
            } else {
                out.append({name, item.value});
            }
        }
    };
    if (!m_sections.isEmpty())
        walk(0, QString());
    return out;
}

WeewxConfStatus WeewxConf::setValue(const QStringList &path, const QString &key,
                                    const ConfValue &value)
{
    for (const QString &name : path + QStringList{key}) {
        if (!validName(name))
            return WeewxConfStatus::failure(
                    WeewxConfError::BadName, 0,
                    tr("The name \"%1\" cannot be written to weewx.conf.").arg(name.left(80)));
    }
    if (path.isEmpty())
        return WeewxConfStatus::failure(WeewxConfError::BadName, 0,
                                        tr("A key needs a section to go in."));
    QString why;
    const std::optional<QString> rendered = render(value, &why);
    if (!rendered)
        return WeewxConfStatus::failure(
                WeewxConfError::Unrepresentable, 0,
                tr("The value for %1 cannot be written to weewx.conf: %2.").arg(key, why));
    const QByteArray renderedBytes = rendered->toUtf8();
    if (m_sections.isEmpty())
        m_sections = {Section{}}; // an empty document still has a top level
    const WeewxConf before = *this;
    const QByteArray eol = newline();

    // Walk down the path; create what is missing as one block after the nearest section's
    // last content line (so it lands before the comments that introduce the next section).
    int s = 0;
    int level = 0;
    for (; level < path.size(); ++level) {
        const Item *item = findItem(s, path.at(level));
        if (item && item->section < 0)
            return WeewxConfStatus::failure(
                    WeewxConfError::NameClash, item->firstLine + 1,
                    tr("Line %1: %2 is a key, but a section of that name is needed.")
                            .arg(item->firstLine + 1)
                            .arg(path.at(level)));
        if (!item)
            break;
        s = item->section;
    }
    const Item *existing = level == path.size() ? findItem(s, key) : nullptr;
    if (existing && existing->section >= 0)
        return WeewxConfStatus::failure(
                WeewxConfError::NameClash, existing->firstLine + 1,
                tr("Line %1: %2 is a section, but a key of that name is needed.")
                        .arg(existing->firstLine + 1)
                        .arg(key));

    if (existing) {
        const Line &first = m_lines.at(existing->firstLine);
        const Line &last = m_lines.at(existing->lastLine);
        QByteArray head = first.text.left(existing->valueStart);
        if (head.endsWith('='))
            head += ' ';
        QByteArray tail = last.text.mid(existing->valueEnd);
        if (tail.startsWith('#'))
            tail.prepend(' ');
        Line replaced{head + renderedBytes + tail, last.eol};
        const int firstLine = existing->firstLine;
        m_lines.remove(firstLine, existing->lastLine - firstLine + 1);
        m_lines.insert(firstLine, replaced);
        // A quote or a comma in the kept comment can join the new value in ConfigObj's eyes
        // (`"pa#ss"  # a", b` reads as a list). Then the comment goes on a line of its own
        // above the key, where it cannot.
        const QByteArray comment = tail.trimmed();
        if (comment.startsWith('#')) {
            WeewxConfStatus trialStatus;
            const WeewxConf trial = parse(toBytes(), &trialStatus);
            if (!trialStatus.ok() || trial.value(path, key) != value) {
                qsizetype blanks = 0;
                while (blanks < head.size() && (head.at(blanks) == ' ' || head.at(blanks) == '\t'))
                    ++blanks;
                const QByteArray indent = head.left(blanks);
                m_lines[firstLine] = Line{head + renderedBytes, last.eol};
                m_lines.insert(firstLine, Line{indent + comment, last.eol});
            }
        }
    } else {
        QList<Line> block;
        int after;
        if (level < path.size()) {
            const Section &parent = m_sections.at(s);
            // New top-level sections go at the very end; subsections after the parent's last
            // line of content, before the comments that introduce the next section.
            after = s == 0 ? int(m_lines.size()) - 1 : parent.lastContentLine;
            if (after >= 0 && !m_lines.at(after).text.trimmed().isEmpty())
                block.append(Line{QByteArray(), eol}); // a blank line before a new section
            int parentIndex = s;
            for (int d = level; d < path.size(); ++d) {
                const int depth = d + 1;
                const QByteArray indent = parentIndex >= 0 ? headerIndent(parentIndex, depth)
                                                           : indentUnit().repeated(depth - 1);
                block.append(Line{indent + QByteArray(depth, '[') + path.at(d).toUtf8()
                                          + QByteArray(depth, ']'),
                                  eol});
                parentIndex = -1;
            }
            block.append(Line{indentUnit().repeated(int(path.size())) + key.toUtf8() + " = "
                                      + renderedBytes,
                              eol});
        } else {
            const Section &section = m_sections.at(s);
            after = section.headerLine;
            for (const Item &item : section.items) {
                if (item.section >= 0)
                    break;
                after = item.lastLine;
            }
            block.append(Line{keyIndent(s) + key.toUtf8() + " = " + renderedBytes, eol});
        }
        insertLines(after, block);
    }

    // Read the result back as ConfigObj would: the value must be exactly what was asked for and
    // every other value (and section) as before.
    WeewxConfStatus reparsed;
    const WeewxConf after = parse(toBytes(), &reparsed);
    auto expected = before.flatten();
    bool same = reparsed.ok() && after.value(path, key) == value;
    if (same) {
        auto got = after.flatten();
        QString keyName;
        for (const QString &p : path)
            keyName += u'\x1f' + p;
        keyName += u'\x1f' + key;
        // Everything else identical, in order; new sections and the key may be added.
        auto drop = [&](QList<std::pair<QString, ConfValue>> &list) {
            list.removeIf([&](const std::pair<QString, ConfValue> &e) {
                return e.first == keyName
                       || (e.first.endsWith(u'\x1e')
                           && keyName.startsWith(e.first.chopped(1) + u'\x1f'));
            });
        };
        drop(expected);
        drop(got);
        same = expected == got;
    }
    if (!same) {
        qCWarning(lcConfig) << "weewx.conf edit of" << path << key << "did not read back";
        *this = before;
        return WeewxConfStatus::failure(
                WeewxConfError::Internal, 0,
                tr("Setting %1 would not read back as written; weewx.conf was left unchanged.")
                        .arg(key));
    }
    *this = after;
    return WeewxConfStatus::success();
}

} // namespace wmw::config
