// SPDX-License-Identifier: GPL-3.0-or-later
// The acl parser on any bytes: it never crashes, a file it accepts renders back byte for byte,
// and merging our users into it gives a file it accepts again, with the same result a second
// time (a re-run changes nothing).
#include "config/aclfile.h"

#include <cstdint>
#include <cstdlib>

using namespace wmw::config;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray bytes(reinterpret_cast<const char *>(data), qsizetype(size));
    const AclParseResult parsed = AclFile::parse(bytes);
    if (!parsed.ok()) {
        if (parsed.errorLine < 1)
            std::abort();
        return 0;
    }
    if (parsed.file.render() != bytes)
        std::abort();

    StationProfile profile;
    profile.anonymousPolicy = size % 2 ? AnonymousPolicy::ReadLoop : AnonymousPolicy::Deny;
    const AclParseResult merged = AclFile::mergeProfile(bytes, profile);
    if (!merged.ok())
        std::abort();
    const QByteArray once = merged.file.render();
    const AclParseResult again = AclFile::mergeProfile(once, profile);
    if (!again.ok() || again.file.render() != once)
        std::abort();
    if (again.file.rulesFor(profile.webUser.toUtf8()) != AclFile::webRules(profile))
        std::abort();
    return 0;
}
