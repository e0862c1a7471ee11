// SPDX-License-Identifier: GPL-3.0-or-later
// The Ansible play of the bundle: the same files and the same weewx.conf edit as install.sh,
// for people who manage several stations. Only ansible.builtin modules (ansible-core).

#include "config/bundle_p.h"

namespace wmw::config::bundle_detail {

QByteArray playbook(const Context &context)
{
    const StationProfile &p = context.profile;
    QByteArray out =
            "# Live MQTT updates for the Belchertown page: the files of this bundle as an Ansible\n"
            "# play, made by WeeWX MQTT Wizard for the station at "
            + p.piHost.toUtf8()
            + ".\n"
              "#   ansible-playbook -i inventory.ini playbook.yml [--check] [--diff]\n"
              "# Hosts: the group weewx_stations (or -e wmw_hosts=NAME). Needs sudo on the Pi.\n"
              "# A second run reports changed=0: handlers restart a service only when a file it\n"
              "# reads changed. Files with hashes or passwords never show in --diff.\n"
              "- name: Live MQTT updates for the Belchertown page\n"
              "  hosts: \"{{ wmw_hosts | default('weewx_stations') }}\"\n"
              "  become: true\n"
              "  gather_facts: false\n"
              "  vars:\n"
              "    wmw_bundle: \"{{ playbook_dir }}/..\"\n"
              "    wmw_mqtt_port: "
            + QByteArray::number(p.mqttPort)
            + "\n"
              "    wmw_websocket_port: "
            + QByteArray::number(p.websocketPort)
            + "\n"
              "    wmw_weewx_conf: "
            + yamlString(p.weewxConfPath)
            + "\n"
              "    wmw_python: /usr/bin/python3\n"
              "  tasks:\n"
              // Our users' lines go to the Pi first; merge-users.py then puts them into the
              // Pi's files and keeps every other user (the bundle does not know them).
              "    - name: Folder for our MQTT users' lines\n"
              "      ansible.builtin.file:\n"
              "        path: "
            + yamlString(stagingRoot)
            + "\n"
              "        state: directory\n"
              "        owner: root\n"
              "        group: root\n"
              "        mode: \"0700\"\n\n";
    for (const BundleTarget &t : context.targets) {
        if (t.merge.isEmpty())
            continue;
        const QString staged = stagingRoot + u'/' + t.merge;
        out += "    - name: " + yamlString(QStringLiteral("our MQTT users for ") + t.target) + "\n"
               + "      ansible.builtin.copy:\n"
                 "        src: \"{{ wmw_bundle }}/"
               + t.source.toUtf8()
               + "\"\n"
                 "        dest: "
               + yamlString(staged)
               + "\n"
                 "        owner: root\n"
                 "        group: root\n"
                 "        mode: \"0600\"\n"
                 "      diff: false\n\n"
               + "    - name: "
               + yamlString(QStringLiteral("mosquitto: ") + t.target
                            + QStringLiteral(" (our users merged, every other line kept)"))
               + "\n"
                 "      ansible.builtin.script:\n"
                 "        cmd: "
               + yamlString(
                       QStringLiteral("{{ wmw_bundle }}/") + mergeScriptPath + u' ' + t.merge + u' '
                       + QString::fromUtf8(shellQuote(staged)) + u' '
                       + QString::fromUtf8(shellQuote(t.target)) + QStringLiteral(" --owner ")
                       + QString::fromUtf8(shellQuote(t.owner)) + QStringLiteral(" --group ")
                       + QString::fromUtf8(shellQuote(t.group)) + QStringLiteral(" --mode ")
                       + QString::fromLatin1(octal(t.mode)) + QStringLiteral(" --backup-dir ")
                       + QString::fromUtf8(shellQuote(backupRoot + QStringLiteral("/ansible"))))
               + "\n"
                 "        executable: \"{{ wmw_python }}\"\n"
                 "      register: wmw_merge_"
               + t.merge.toUtf8()
               + "\n"
                 "      changed_when: \"'result: changed' in wmw_merge_"
               + t.merge.toUtf8()
               + ".stdout_lines\"\n"
                 "      notify: Restart mosquitto\n\n";
    }
    for (const BundleTarget &t : context.targets) {
        if (!t.merge.isEmpty())
            continue;
        const bool secret = t.target == p.passwordFilePath;
        out += "    - name: " + yamlString(QStringLiteral("mosquitto: ") + t.target) + "\n"
               + "      ansible.builtin.copy:\n"
                 "        src: \"{{ wmw_bundle }}/"
               + t.source.toUtf8()
               + "\"\n"
                 "        dest: "
               + yamlString(t.target)
               + "\n"
                 "        owner: "
               + yamlString(t.owner)
               + "\n"
                 "        group: "
               + yamlString(t.group)
               + "\n"
                 "        mode: \""
               + octal(t.mode)
               + "\"\n"
                 // Ansible's backup name (file.NNNN.DATE~) does not end in .conf, so mosquitto's
                 // include_dir never reads it.
                 "        backup: true\n";
        if (secret)
            out += "      diff: false\n";
        out += "      notify: Restart mosquitto\n\n";
    }
    out += "    - name: weewx.conf live-update settings (the Pi's python3 and ConfigObj)\n"
           "      ansible.builtin.script:\n"
           "        cmd: \"{{ wmw_bundle }}/weewx/edit-weewx-conf.py --config {{ wmw_weewx_conf "
           "| quote }}\"\n"
           "        executable: \"{{ wmw_python }}\"\n"
           "      register: wmw_weewx_edit\n"
           "      changed_when: \"'result: changed' in wmw_weewx_edit.stdout_lines\"\n"
           "      notify: Restart weewx\n"
           "\n"
           "    - name: Restart what changed now, before checking\n"
           "      ansible.builtin.meta: flush_handlers\n"
           "\n"
           "    - name: mosquitto listens for weewx-mqtt\n"
           "      ansible.builtin.wait_for:\n"
           "        port: \"{{ wmw_mqtt_port }}\"\n"
           "        timeout: 15\n"
           "\n"
           "    - name: mosquitto listens for the page's websockets\n"
           "      ansible.builtin.wait_for:\n"
           "        port: \"{{ wmw_websocket_port }}\"\n"
           "        timeout: 15\n"
           "\n"
           "  handlers:\n"
           // Plain systemctl: works with every service manager setting Ansible may detect.
           "    - name: Restart mosquitto\n"
           "      ansible.builtin.command: systemctl restart mosquitto\n"
           "      changed_when: true\n"
           "\n"
           "    - name: Restart weewx\n"
           "      ansible.builtin.command: systemctl restart weewx\n"
           "      changed_when: true\n";
    return out;
}

QByteArray inventoryExample(const Context &context)
{
    const StationProfile &p = context.profile;
    return "# Copy to inventory.ini and adjust. One line per station; each needs its own bundle\n"
           "# when host names or passwords differ.\n"
           "[weewx_stations]\n"
           + p.piHost.toUtf8() + " ansible_port=" + QByteArray::number(p.sshPort)
           + (p.sshUser.isEmpty() ? QByteArray() : " ansible_user=" + p.sshUser.toUtf8())
           + " ansible_python_interpreter=/usr/bin/python3\n"
             "\n"
             "# sudo asks for a password on a Pi without NOPASSWD: add --ask-become-pass.\n";
}

} // namespace wmw::config::bundle_detail
