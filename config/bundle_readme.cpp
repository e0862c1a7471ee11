// SPDX-License-Identifier: GPL-3.0-or-later
// README.txt of the bundle: the manual steps in the order of the manual procedure, with the
// traps of that procedure named where they would happen.

#include "config/bundle_p.h"

#include <QCoreApplication>

namespace wmw::config::bundle_detail {

namespace {

class Readme
{
    Q_DECLARE_TR_FUNCTIONS(wmw::config::BundleReadme)
public:
    static QByteArray make(const Context &context);
};

QString section(const QString &title)
{
    return u'\n' + title + u'\n' + QString(title.size(), u'-') + u'\n';
}

QByteArray Readme::make(const Context &c)
{
    const StationProfile &p = c.profile;
    QString t;
    t += tr("WeeWX MQTT Wizard bundle for the station at %1\n").arg(p.piHost);
    t += QString(t.size() - 1, u'=') + u'\n';
    t += tr("\nThis folder applies live MQTT updates for the Belchertown page without the wizard:\n"
            "by install.sh, by Ansible (ansible/playbook.yml), or by hand with the steps below.\n"
            "It holds password hashes and, in weewx/, the passwords weewx-mqtt and the page\n"
            "need: keep it private (the folder is readable by its owner only).\n");
    t += section(tr("Quick start"));
    t += tr("Copy the folder to the Pi (scp -r), then on the Pi:\n"
            "  cd %1 && sudo sh install.sh --dry-run   # shows what would change\n"
            "  sudo sh install.sh\n"
            "install.sh checks the bundle against MANIFEST.sha256, saves every file it replaces\n"
            "in %2/<time>/, installs the files with their owner and mode, restarts mosquitto\n"
            "and weewx only when a file they read changed, checks that mosquitto listens on\n"
            "ports %3 and %4, and puts the old files back if anything fails. Running it again\n"
            "changes nothing.\n")
                 .arg(Bundle::rootName(), backupRoot)
                 .arg(p.mqttPort)
                 .arg(p.websocketPort);
    t += tr("With Ansible, from this folder on your computer:\n"
            "  cp ansible/inventory.ini.example ansible/inventory.ini\n"
            "  ansible-playbook -i ansible/inventory.ini ansible/playbook.yml --ask-become-pass\n");

    t += section(tr("The same by hand, in the order of the manual procedure"));
    t += tr("1. Locale. Run `locale`; every line must name a locale the Pi has generated\n"
            "   (Raspberry Pi OS: en_GB.UTF-8). Otherwise: sudo raspi-config, Localisation.\n");
    t += tr("2. Access control. The three mosquitto files in files/ go to the same paths on\n"
            "   the Pi (as root), with this owner and mode:\n");
    for (const BundleTarget &target : c.targets)
        t += QStringLiteral("     %1  %2:%3  %4\n")
                     .arg(target.target, target.owner, target.group,
                          QString::fromLatin1(octal(target.mode)));
    t += tr("   The acl and password files of the bundle hold only our MQTT users: do not copy\n"
            "   them over the Pi's files, or every other MQTT user loses access. Merge them;\n"
            "   every other user, comment and pattern line stays (run it again: no change):\n");
    for (const BundleTarget &target : c.targets) {
        if (!target.merge.isEmpty())
            t += QStringLiteral("     sudo /usr/bin/python3 %1 %2 %3 %4 --owner %5 --group %6 "
                                "--mode %7\n")
                         .arg(mergeScriptPath, target.merge, target.source, target.target,
                              target.owner, target.group, QString::fromLatin1(octal(target.mode)));
    }
    t += tr("   Traps of the manual procedure this avoids:\n"
            "   - acl_file and password_file in %1 name exactly these files (the procedure\n"
            "     points acl_file at a file it never created, and mosquitto does not start).\n"
            "   - The password file is already hashed. Never run mosquitto_passwd -U on it: a\n"
            "     hash hashed again silently locks every user out.\n"
            "   - allow_anonymous is stated explicitly; the web page user may only read %2,\n"
            "     because its password is readable by every visitor of the page.\n"
            "   - No plain-text password file stays on the Pi.\n"
            "   - Keep backups outside %3: mosquitto reads every *.conf file there, and a\n"
            "     second password_file line stops it.\n")
                 .arg(p.listenerConfPath, p.pageTopic(),
                      p.listenerConfPath.left(p.listenerConfPath.lastIndexOf(u'/')));
    t += tr("3. Permissions. `ls -l` must show the owners and modes above: mosquitto reads the\n"
            "   acl and password files after dropping to user mosquitto. Ignore the warning of\n"
            "   newer mosquitto_passwd versions that the owner is not root.\n");
    t += tr("4. Restart and test the broker:\n"
            "     sudo systemctl restart mosquitto\n"
            "     sudo journalctl -u mosquitto -n 20; sudo tail /var/log/mosquitto/mosquitto.log\n"
            "   Errors in the configuration show only in journalctl. Test that an anonymous\n"
            "   publish is refused and that the publishing user may publish:\n"
            "     mosquitto_pub -h localhost -p %1 -t %2/test -m 1            (refused)\n"
            "     mosquitto_pub -h localhost -p %1 -t %2/test -m 1 -u %3 -P '...'\n")
                 .arg(p.mqttPort)
                 .arg(p.topic, p.publishUser);
    t += tr("5. weewx-mqtt. If `weectl extension list` does not show mqtt, install it (the Pi\n"
            "   needs the internet; install.sh --install-extension does the same):\n"
            "     sudo weectl extension install %1\n"
            "   Use Debian's python3-paho-mqtt (1.6): weewx-mqtt 0.24 publishes nothing with\n"
            "   paho-mqtt 2.\n")
                 .arg(weewxMqttUrl);
    t += tr("6. weewx.conf. Run the edit with the Pi's python3 (it makes a backup beside the\n"
            "   file, as weectl does, and changes nothing when the values are already set):\n"
            "     sudo /usr/bin/python3 weewx/edit-weewx-conf.py --config %1\n"
            "   It sets [StdRESTful] [[MQTT]] (server_url with its port, topic %2, binding\n"
            "   archive and loop, aggregation aggregate) and the Belchertown extras\n"
            "   (mqtt_websockets_host %3, port %4: the websockets listener, not the MQTT\n"
            "   port; topic %5).\n")
                 .arg(p.weewxConfPath, p.topic, p.pageHost())
                 .arg(p.pagePort())
                 .arg(p.pageTopic());
    if (c.hasEditedWeewxConf)
        t += tr("   weewx/weewx.conf is the file you gave with these edits made. Copy it over\n"
                "   %1 (owner weewx:weewx, mode 0660 on WeeWX 5) only if the Pi's file has not\n"
                "   changed since; the edit above works on whatever the Pi has.\n")
                     .arg(p.weewxConfPath);
    t += tr("7. Restart WeeWX and check:\n"
            "     sudo systemctl restart weewx; sleep 5; systemctl is-active weewx\n"
            "     sudo journalctl -u weewx -n 40\n"
            "   \"Published record\" in the log proves nothing: weewx-mqtt writes it even when\n"
            "   the broker refused the publish. Only a message on %1 proves it, e.g.\n"
            "     weewx-mqtt-wizard live-check ws://%2:%3/mqtt --topic %1 --user %4 "
            "--password-stdin\n")
                 .arg(p.pageTopic(), p.pageHost())
                 .arg(p.pagePort())
                 .arg(p.webUser);
    t += tr("8. Try it. The page keeps the settings of its last report run: run\n"
            "   `sudo weectl report run` (or wait one archive interval), then open the\n"
            "   Belchertown page. \"Connecting\" turns into live readings within seconds.\n");

    t += section(tr("Files"));
    t += tr("MANIFEST.sha256 lists every file with its SHA-256 (sha256sum -c MANIFEST.sha256).\n"
            "weewx/edit-weewx-conf.py and ansible/ hold the same settings as install.sh.\n");
    if (c.hasPasswordReference)
        t += tr("reference/passwords.txt holds the plain-text passwords, for your records only;\n"
                "nothing installs it. Delete it, or store it somewhere safe.\n");
    return t.toUtf8();
}

} // namespace

QByteArray readme(const Context &context)
{
    return Readme::make(context);
}

} // namespace wmw::config::bundle_detail
