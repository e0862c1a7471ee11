// SPDX-License-Identifier: GPL-3.0-or-later
#include "wizard/widgets/diffview.h"

#include <QFontDatabase>
#include <QSyntaxHighlighter>

namespace wmw {

namespace {
class DiffHighlighter : public QSyntaxHighlighter
{
public:
    using QSyntaxHighlighter::QSyntaxHighlighter;

protected:
    void highlightBlock(const QString &text) override
    {
        QTextCharFormat format;
        if (text.startsWith(QLatin1String("+++")) || text.startsWith(QLatin1String("---"))) {
            format.setFontWeight(QFont::Bold);
        } else if (text.startsWith(u'+')) {
            format.setForeground(QColor(0x11, 0x63, 0x29));
            format.setBackground(QColor(0xe6, 0xff, 0xec));
        } else if (text.startsWith(u'-')) {
            format.setForeground(QColor(0x82, 0x07, 0x1e));
            format.setBackground(QColor(0xff, 0xeb, 0xe9));
        } else if (text.startsWith(QLatin1String("@@"))) {
            format.setForeground(QColor(0x05, 0x50, 0xae));
        } else if (text.startsWith(u'\\')) {
            format.setForeground(QColor(0x6e, 0x77, 0x81));
        } else {
            return;
        }
        setFormat(0, int(text.size()), format);
    }
};
} // namespace

DiffView::DiffView(QWidget *parent)
    : QPlainTextEdit(parent)
{
    setReadOnly(true);
    setLineWrapMode(QPlainTextEdit::NoWrap);
    setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    new DiffHighlighter(document());
}

void DiffView::setDiff(const QByteArray &diff)
{
    setPlainText(QString::fromUtf8(diff));
}

} // namespace wmw
