// SPDX-License-Identifier: GPL-3.0-or-later
// The weewx.conf parser and editor on hostile bytes. Beyond "no crash, no sanitizer report":
// - a file that parses comes back byte for byte from toBytes();
// - an edit never reports Internal (its text always reads back as intended), and a successful
//   edit leaves a file that parses again and holds the value set;
// - the live-update edit applied twice gives the same bytes as once.
#include "config/weewxconf.h"
#include "config/weewxconf_liveupdate.h"

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

using namespace wmw::config;

namespace {

// The replay driver keeps no crash files: show the input (escaped) before stopping.
[[noreturn]] void fail(const QByteArray &input, const char *what)
{
    std::fprintf(stderr, "fuzz_weewxconf: %s\ninput: %s\n", what,
                 input.toPercentEncoding(" =[]#,'\"").constData());
    abort();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray input(reinterpret_cast<const char *>(data), qsizetype(size));
    WeewxConfStatus status;
    WeewxConf conf = WeewxConf::parse(input, &status);
    if (!status.ok()) {
        if (status.message.isEmpty() || !conf.isEmpty())
            fail(input, "a parse error without a message");
        return 0;
    }
    if (conf.toBytes() != input)
        fail(input, "the round trip changed bytes");

    // Values built from the input's own tail, so quoting meets odd text.
    const QString tail = QString::fromUtf8(input.right(24));
    const QList<std::pair<QStringList, ConfValue>> edits = {
            {{QStringLiteral("StdRESTful"), QStringLiteral("MQTT")}, ConfValue::fromString(tail)},
            {{QStringLiteral("A")}, ConfValue::fromList({tail, QStringLiteral("x")})},
            {{QStringLiteral("Station")}, ConfValue::fromString(QStringLiteral("a, b # c"))},
    };
    for (const auto &[path, value] : edits) {
        WeewxConf edited = conf;
        const WeewxConfStatus st = edited.setValue(path, QStringLiteral("k"), value);
        if (st.error == WeewxConfError::Internal)
            fail(input, "setValue did not read back");
        if (!st.ok())
            continue;
        WeewxConfStatus again;
        const WeewxConf reread = WeewxConf::parse(edited.toBytes(), &again);
        if (!again.ok() || reread.value(path, QStringLiteral("k")) != value)
            fail(input, "an edited file does not read back");
    }

    LiveUpdateSettings s;
    s.publishUser = QStringLiteral("weewx");
    s.publishPassword = QStringLiteral("p,ss");
    s.pageHost = QStringLiteral("wx.example.com");
    s.webUser = QStringLiteral("web");
    s.webPassword = QStringLiteral("pa#ss");
    WeewxConf once = conf;
    const WeewxConfStatus st = LiveUpdateEdit::apply(once, s);
    if (st.error == WeewxConfError::Internal)
        fail(input, "the live-update edit did not read back");
    if (st.ok()) {
        WeewxConf twice = once;
        if (!LiveUpdateEdit::apply(twice, s).ok() || twice.toBytes() != once.toBytes())
            fail(input, "the live-update edit is not idempotent");
    }
    return 0;
}
