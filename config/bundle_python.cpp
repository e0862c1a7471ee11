// SPDX-License-Identifier: GPL-3.0-or-later
// The weewx.conf edit of the bundle: a Python 3 script for the Pi's own python3 and ConfigObj
// (WeeWX depends on both), so it edits whatever weewx.conf the Pi has now, not a copy.

#include "config/bundle_p.h"

namespace wmw::config::bundle_detail {

namespace {

QByteArray pair(const QString &key, const QString &value, const QByteArray &comment = {})
{
    QByteArray line;
    if (!comment.isEmpty())
        line += "    # " + comment + '\n';
    return line + "    (" + pythonString(key) + ", " + pythonString(value) + "),\n";
}

QByteArray boolText(bool b)
{
    return b ? "true" : "false";
}

// The part after the values: the same for every profile.
const char *const program = R"PY(

def fail(code, message):
    print('edit-weewx-conf: ' + message, file=sys.stderr)
    sys.exit(code)


def lookup(conf, path):
    """The section at path, or None."""
    section = conf
    for name in path:
        if name not in section:
            return None
        section = section[name]
        if not isinstance(section, dict):
            fail(4, '[%s] is a value in weewx.conf, not a section' % name)
    return section


def ensure(conf, path):
    section = conf
    for name in path:
        if name not in section:
            section[name] = {}
        section = section[name]
        if not isinstance(section, dict):
            fail(4, '[%s] is a value in weewx.conf, not a section' % name)
    return section


def label(path, key):
    return ' '.join('[' * (i + 1) + name + ']' * (i + 1) for i, name in enumerate(path)) + ' ' + key


def plan(conf):
    """[(path, key, value)] that differ from what the live page needs. Never prints values."""
    changes = []

    def want(path, key, value):
        section = lookup(conf, path)
        if section is None or section.get(key) != value:
            changes.append((path, key, value))

    for key, value in MQTT:
        want(MQTT_PATH, key, value)

    services = lookup(conf, SERVICES_PATH)
    if services is None:
        fail(4, 'weewx.conf has no [Engine] [[Services]] section; is it a WeeWX configuration?')
    restful = services.get('restful_services', [])
    restful = [restful] if isinstance(restful, str) else list(restful)
    restful = [s for s in restful if s]
    if MQTT_SERVICE not in restful:
        restful.append(MQTT_SERVICE)
        changes.append((SERVICES_PATH, 'restful_services',
                        restful[0] if len(restful) == 1 else restful))

    report = EXTRAS_PATH[:2]
    if lookup(conf, report) is None:
        # Without a skin line WeeWX cannot run the report: what Belchertown's installer writes,
        # with HTML_ROOT below [StdReport]'s as weectl extension install does.
        std_report = lookup(conf, report[:1])
        root = std_report.get('HTML_ROOT') if std_report is not None else None
        html_root = root + '/belchertown' if isinstance(root, str) and root else 'belchertown'
        for key, value in (('skin', 'Belchertown'), ('HTML_ROOT', html_root), ('enable', 'true')):
            changes.append((report, key, value))

    for key, value in EXTRAS:
        want(EXTRAS_PATH, key, value)
    return changes


def extension_installed(conf, path):
    """weewx-mqtt's module in one of the places WeeWX 4 and 5 keep user extensions."""
    base = os.path.dirname(os.path.abspath(path))
    root = conf.get('WEEWX_ROOT', base)
    root = os.path.join(base, os.path.expanduser(root if isinstance(root, str) else base))
    user_root = conf.get('USER_ROOT', 'bin/user')
    user_root = user_root if isinstance(user_root, str) else 'bin/user'
    for folder in (os.path.join(root, user_root), os.path.join(root, 'bin', 'user'),
                   '/etc/weewx/bin/user', '/usr/share/weewx/user', '/home/weewx/bin/user'):
        if os.path.isfile(os.path.join(folder, 'mqtt.py')):
            return True
    return False


def read(path):
    try:
        return configobj.ConfigObj(path, encoding='utf-8', interpolation=False, file_error=True)
    except (IOError, OSError) as e:
        fail(4, 'cannot read %s: %s' % (path, e.strerror or e))
    except configobj.ConfigObjError as e:
        # The message of ConfigObj quotes the line, which may hold a password: only its number.
        fail(4, '%s is not valid ConfigObj syntax (%s at line %s); nothing was changed'
             % (path, type(e).__name__, getattr(e, 'line_number', '?')))


def render(conf):
    data = io.BytesIO()
    try:
        conf.write(data)
    except configobj.ConfigObjError as e:
        fail(4, 'ConfigObj cannot write the edited weewx.conf (%s); nothing was changed'
             % type(e).__name__)
    return data.getvalue()


def parse(data):
    """The edited text read the way read() reads the file, before it is written."""
    try:
        return configobj.ConfigObj(io.BytesIO(data), encoding='utf-8', interpolation=False)
    except configobj.ConfigObjError as e:
        fail(4, 'the edited weewx.conf would not read back (%s at line %s); nothing was changed'
             % (type(e).__name__, getattr(e, 'line_number', '?')))


def write(data, path, backup):
    info = os.stat(path)
    if backup:
        os.makedirs(os.path.dirname(os.path.abspath(backup)), mode=0o700, exist_ok=True)
        shutil.copy2(path, backup)
        os.chown(backup, info.st_uid, info.st_gid)
        print('backup: %s' % backup)
    # Beside the file, then renamed over it: weewxd never reads half a file.
    fd, temp = tempfile.mkstemp(prefix='.weewx.conf.', dir=os.path.dirname(os.path.abspath(path)))
    try:
        with os.fdopen(fd, 'wb') as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chown(temp, info.st_uid, info.st_gid)
        os.chmod(temp, info.st_mode & 0o7777)
        os.replace(temp, path)
    except BaseException:
        if os.path.exists(temp):
            os.unlink(temp)
        raise


def main():
    parser = argparse.ArgumentParser(description='Set the live MQTT settings in weewx.conf.')
    parser.add_argument('--config', default=CONFIG, help='weewx.conf to edit (%(default)s)')
    parser.add_argument('--check', action='store_true',
                        help='only say what would change (exit 10 when something would)')
    parser.add_argument('--backup', help='copy weewx.conf here before changing it '
                        '(default: weewx.conf.<time> beside it, as weectl does)')
    parser.add_argument('--no-backup', action='store_true', help='make no backup')
    parser.add_argument('--skip-extension-check', action='store_true',
                        help='edit even when weewx-mqtt is not installed (yet)')
    args = parser.parse_args()

    conf = read(args.config)
    changes = plan(conf)
    if not args.skip_extension_check and not extension_installed(conf, args.config):
        fail(3, 'the weewx-mqtt extension is not installed, so WeeWX would stop at start with '
             "\"No module named 'user.mqtt'\". Install it first:\n"
             '  sudo weectl extension install ' + EXTENSION_URL)
    for path, key, _ in changes:
        print(('would change: ' if args.check else 'changing: ') + label(path, key))
    if not changes:
        print('result: unchanged')
        return 0
    if args.check:
        print('result: would change')
        return 10
    for path, key, value in changes:
        ensure(conf, path)[key] = value
    data = render(conf)
    # Read back as WeeWX will, before anything is written: every value must be as wanted.
    if plan(parse(data)):
        fail(4, 'the edited weewx.conf would not read back as written; nothing was changed')
    backup = None
    if not args.no_backup:
        backup = args.backup or '%s.%s' % (args.config, time.strftime('%Y%m%d%H%M%S'))
    write(data, args.config, backup)
    # And the file itself, once it is in place.
    if plan(read(args.config)):
        fail(4, 'weewx.conf did not read back as written')
    print('result: changed')
    return 0


if __name__ == '__main__':
    sys.exit(main())
)PY";

} // namespace

QByteArray weewxEditScript(const Context &context)
{
    const LiveUpdateSettings &s = context.settings;
    QByteArray out;
    out += "#!/usr/bin/python3\n"
           "# The weewx.conf settings for live MQTT updates on the Belchertown page, made by\n"
           "# WeeWX MQTT Wizard for the station at "
           + context.profile.piHost.toUtf8()
           + ".\n"
             "# It holds the passwords weewx-mqtt and the page need, exactly as they will stand\n"
             "# in weewx.conf: keep it private.\n"
             "#\n"
             "# Runs with the Pi's own python3 and ConfigObj (both come with WeeWX), as root:\n"
             "#   sudo /usr/bin/python3 edit-weewx-conf.py [--config FILE] [--check]\n"
             "#        [--backup FILE | --no-backup] [--skip-extension-check]\n"
             "# Running it again changes nothing. The last line says \"result: changed\",\n"
             "# \"result: unchanged\" or \"result: would change\" (--check).\n"
             "# Exit codes: 0 done or nothing to do, 10 --check found changes, 2 usage,\n"
             "# 3 weewx-mqtt is not installed, 4 weewx.conf unreadable or broken,\n"
             "# 5 ConfigObj is missing.\n"
             "\n"
             "import argparse\n"
             "import io\n"
             "import os\n"
             "import shutil\n"
             "import sys\n"
             "import tempfile\n"
             "import time\n"
             "\n"
             "try:\n"
             "    import configobj\n"
             "except ImportError:\n"
             "    print('edit-weewx-conf: python3 has no configobj module; run this with the "
             "python3 WeeWX uses', file=sys.stderr)\n"
             "    sys.exit(5)\n"
             "\n"
             "CONFIG = "
           + pythonString(context.profile.weewxConfPath)
           + "\n"
             "EXTENSION_URL = "
           + pythonString(weewxMqttUrl)
           + "\n"
             "MQTT_SERVICE = 'user.mqtt.MQTT'\n"
             "SERVICES_PATH = ('Engine', 'Services')\n"
             "MQTT_PATH = ('StdRESTful', 'MQTT')\n"
             "EXTRAS_PATH = ('StdReport', 'Belchertown', 'Extras')\n"
             "\n"
             "# [StdRESTful] [[MQTT]]: how weewxd publishes (weewx-mqtt).\n"
             "MQTT = [\n";
    out += pair(QStringLiteral("enable"), QStringLiteral("true"));
    out += pair(QStringLiteral("server_url"), LiveUpdateEdit::serverUrl(s),
                "with the port: weewx-mqtt passes it to paho unchecked");
    out += pair(QStringLiteral("topic"), s.topic);
    out += "    # both, as a list: only loop packets make the page live\n"
           "    ('binding', ['archive', 'loop']),\n";
    out += pair(QStringLiteral("aggregation"), QStringLiteral("aggregate"),
                "one string: weewx-mqtt calls aggregation.find()");
    out += pair(QStringLiteral("log_success"), QString::fromLatin1(boolText(s.logSuccess)));
    out += pair(QStringLiteral("log_failure"), QString::fromLatin1(boolText(s.logFailure)));
    out += "]\n"
           "\n"
           "# [StdReport] [[Belchertown]] [[[Extras]]]: how the visitor's browser subscribes.\n"
           "# The skin compares these with the strings '1' and '0'.\n"
           "EXTRAS = [\n";
    out += pair(QStringLiteral("mqtt_websockets_enabled"), QStringLiteral("1"));
    out += pair(QStringLiteral("mqtt_websockets_host"), s.pageHost,
                "as the visitor's browser reaches the broker");
    out += pair(QStringLiteral("mqtt_websockets_port"), QString::number(s.pagePort),
                "the websockets listener, not the MQTT port");
    out += pair(QStringLiteral("mqtt_websockets_ssl"),
                s.pageSsl ? QStringLiteral("1") : QStringLiteral("0"));
    out += pair(QStringLiteral("mqtt_websockets_topic"), s.effectivePageTopic(),
                "<topic>/loop, where weewx-mqtt's aggregate messages go");
    out += pair(QStringLiteral("mqtt_websockets_username"), s.webUser);
    out += pair(QStringLiteral("mqtt_websockets_password"), s.webPassword,
                "public: the page's JavaScript holds it");
    out += pair(QStringLiteral("disconnect_live_website_visitor"),
                QString::number(s.visitorDisconnectMs));
    out += "]\n";
    out += program;
    return out;
}

} // namespace wmw::config::bundle_detail
