// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QCoreApplication>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace wmw::config {

// A value as ConfigObj reads it: one string, or a list of strings (an unquoted comma makes a
// list: `binding = archive, loop`).
struct ConfValue
{
    bool isList = false;
    QString string;
    QStringList list;

    static ConfValue fromString(const QString &s) { return ConfValue{false, s, {}}; }
    static ConfValue fromList(const QStringList &l) { return ConfValue{true, {}, l}; }
    friend bool operator==(const ConfValue &a, const ConfValue &b)
    {
        return a.isList == b.isList && (a.isList ? a.list == b.list : a.string == b.string);
    }
    friend bool operator!=(const ConfValue &a, const ConfValue &b) { return !(a == b); }
};

enum class WeewxConfError {
    None,
    NotUtf8, // ConfigObj decodes every line as UTF-8 (WeeWX passes encoding='utf-8')
    Nesting, // ConfigObj's NestingError: unequal brackets, a section deeper than its parent + 1
    Duplicate, // ConfigObj's DuplicateError: a key or section name twice in one section
    BadLine, // ConfigObj's ParseError: neither section nor `key = value`, a broken value
    BadName, // a section or key name we refuse to write
    Unrepresentable, // a value ConfigObj cannot read back as written
    NameClash, // a key where a section is (or the other way round)
    NotWeewxConf, // a section WeeWX always has is missing
    BadSetting, // a setting that would break the program reading it (names the field)
    Internal, // the edited text did not read back as intended; nothing was changed
};

// The outcome of a parse or an edit. Line numbers count from 1 (0: no line).
class [[nodiscard]] WeewxConfStatus
{
public:
    WeewxConfError error = WeewxConfError::None;
    int line = 0;
    QString message; // translated; names the line, section or key; never holds a value

    bool ok() const { return error == WeewxConfError::None; }
    static WeewxConfStatus success() { return {}; }
    static WeewxConfStatus failure(WeewxConfError e, int line, const QString &message)
    {
        return WeewxConfStatus{e, line, message};
    }
};

// A weewx.conf (ConfigObj format) held as its exact bytes plus the structure ConfigObj 5.0.8
// sees in them. toBytes() of an unedited file gives back the input byte for byte (comments,
// blank lines, indentation, quoting, key order, CRLF, tabs, BOM, a missing final newline).
// Edits rewrite only the lines they touch, in the file's own indentation and line-ending style.
// The parser mirrors ConfigObj's own regular expressions (configobj/__init__.py: _keyword,
// _sectionmarker, _valueexp, _listvalueexp, _multiline) with Python's notion of whitespace.
class WeewxConf
{
    Q_DECLARE_TR_FUNCTIONS(wmw::config::WeewxConf)
public:
    struct Line
    {
        QByteArray text; // without the line end; ConfigObj strips every trailing \r and \n
        QByteArray eol; // "\n", "\r\n", ... or empty for a last line without one
    };

    // Parses; on failure the returned object is empty and `status` says which line and why.
    static WeewxConf parse(const QByteArray &bytes, WeewxConfStatus *status);

    QByteArray toBytes() const;
    bool isEmpty() const { return m_lines.isEmpty() && m_bom.isEmpty(); }

    // Section paths name sections from the top: {"StdReport", "Belchertown", "Extras"}.
    bool hasSection(const QStringList &path) const;
    std::optional<ConfValue> value(const QStringList &path, const QString &key) const;
    QStringList keys(const QStringList &path) const;
    QStringList sections(const QStringList &path) const;
    // The 1-based line range a key's value occupies (a triple-quoted value can span lines).
    std::optional<std::pair<int, int>> valueLines(const QStringList &path,
                                                  const QString &key) const;

    // Sets `key` in the section at `path`, creating missing sections below the nearest existing
    // one. An existing key keeps its place, indentation, divider spacing and inline comment; a new
    // one goes after the section's last key. The result is parsed again and must read back
    // exactly the value set with every other value unchanged, or nothing changes (Internal).
    WeewxConfStatus setValue(const QStringList &path, const QString &key, const ConfValue &value);

    // How a value is written so ConfigObj reads back exactly `value`: quoted when it has a `#`
    // (comment), a `,` (list), leading or trailing whitespace or a leading quote; triple-quoted
    // when it has both quote kinds. Refuses what cannot round-trip: line breaks, both quote kinds
    // in a list member or next to both triple quotes, and `%(name)s` (WeeWX interpolates it).
    static std::optional<QString> render(const ConfValue &value, QString *why = nullptr);

private:
    struct Item
    {
        QString name;
        int section = -1; // index into m_sections when this item is a subsection
        int firstLine = 0; // header line, or the value's first line
        int lastLine = 0;
        int valueStart = 0; // byte offset of the value (after `=` and its spaces) in firstLine
        int valueEnd = 0; // byte offset just after the value (before a comment) in lastLine
        ConfValue value;
    };
    struct Section
    {
        QString name;
        int depth = 0;
        int parent = 0;
        int headerLine = -1;
        int lastContentLine = -1; // last header/key line of this section and its subsections
        QList<Item> items;
    };

    int findSection(const QStringList &path) const;
    const Item *findItem(int section, const QString &name) const;
    QByteArray indentUnit() const;
    QByteArray newline() const;
    QByteArray keyIndent(int section) const;
    QByteArray headerIndent(int parent, int depth) const;
    void insertLines(int after, QList<Line> lines);
    QList<std::pair<QString, ConfValue>> flatten() const;
    WeewxConfStatus parseLines(const QList<QString> &decoded);

    QByteArray m_bom;
    QList<Line> m_lines;
    QList<Section> m_sections; // [0] is the top level
};

} // namespace wmw::config
