<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>ApplyCommand</name>
    <message>
        <source>Push a profile to the Pi in one safe batch: back up, install, restart, verify, or roll back.</source>
        <translation>Überträgt ein Profil in einem sicheren Durchgang auf den Pi: sichern, installieren, neu starten, überprüfen oder zurücksetzen.</translation>
    </message>
    <message>
        <source>Restore the files of the latest (or a chosen) backup on the Pi and restart.</source>
        <translation>Stellt die Dateien der letzten (oder einer gewählten) Sicherung auf dem Pi wieder her und startet neu.</translation>
    </message>
    <message>
        <source>--passwords-stdin reads KEY=VALUE lines from standard input (everything after the first &apos;=&apos; is the password; a CR/LF at the end is dropped): ssh= the SSH login password (leave out for keys or an agent), sudo= the sudo password (default: the SSH one), publish= the publishing MQTT user&apos;s, web= the web page user&apos;s. Passwords are never arguments.</source>
        <translation>--passwords-stdin liest KEY=VALUE-Zeilen von der Standardeingabe (alles nach dem ersten &apos;=&apos; ist das Passwort; ein CR/LF am Ende wird entfernt): ssh= das Passwort der SSH-Anmeldung (weglassen bei Schlüsseln oder einem Agent), sudo= das sudo-Passwort (Vorgabe: das SSH-Passwort), publish= das des veröffentlichenden MQTT-Benutzers, web= das des Webseiten-Benutzers. Passwörter sind nie Argumente.</translation>
    </message>
    <message>
        <source>Read the passwords from standard input (see above).</source>
        <translation>Die Passwörter von der Standardeingabe lesen (siehe oben).</translation>
    </message>
    <message>
        <source>known_hosts file (default: ~/.ssh/known_hosts).</source>
        <translation>known_hosts-Datei (Vorgabe: ~/.ssh/known_hosts).</translation>
    </message>
    <message>
        <source>file</source>
        <translation>Datei</translation>
    </message>
    <message>
        <source>SSH private key file.</source>
        <translation>Datei mit dem privaten SSH-Schlüssel.</translation>
    </message>
    <message>
        <source>Trust an unknown host key with this SHA256 fingerprint (as shown).</source>
        <translation>Einem unbekannten Host-Schlüssel mit diesem SHA256-Fingerabdruck vertrauen (wie angezeigt).</translation>
    </message>
    <message>
        <source>fingerprint</source>
        <translation>Fingerabdruck</translation>
    </message>
    <message>
        <source>Do not ask before changing anything on the Pi.</source>
        <translation>Vor Änderungen auf dem Pi nicht nachfragen.</translation>
    </message>
    <message>
        <source>Passwords are never command-line arguments (other users can read those). Use --passwords-stdin or type them when asked.</source>
        <translation>Passwörter sind nie Befehlszeilenargumente (andere Benutzer können diese lesen). Verwenden Sie --passwords-stdin oder geben Sie sie ein, wenn Sie danach gefragt werden.</translation>
    </message>
    <message>
        <source>Standard input is not a terminal: give the passwords with --passwords-stdin.</source>
        <translation>Die Standardeingabe ist kein Terminal: Geben Sie die Passwörter mit --passwords-stdin an.</translation>
    </message>
    <message>
        <source>sudo password on the Pi (empty if none is needed): </source>
        <translation>sudo-Passwort auf dem Pi (leer, falls keines nötig ist): </translation>
    </message>
    <message>
        <source>Password of the publishing MQTT user &quot;%1&quot;: </source>
        <translation>Passwort des veröffentlichenden MQTT-Benutzers „%1“: </translation>
    </message>
    <message>
        <source>Password of the web page user &quot;%1&quot; (public: visitors can read it): </source>
        <translation>Passwort des Webseiten-Benutzers „%1“ (öffentlich: Besucher können es lesen): </translation>
    </message>
    <message>
        <source>[%1 s] %2</source>
        <translation>[%1 s] %2</translation>
    </message>
    <message>
        <source>Note: %1</source>
        <translation>Hinweis: %1</translation>
    </message>
    <message>
        <source>Exit codes: 0 done, 1 failed before anything changed, 2 bad command line or input, 3 a file changed on the Pi since it was read (nothing changed), 4 a check failed and every file was restored, 5 installed but the live check saw no data, 6 the outcome is in doubt (connection lost during the apply, or the rollback failed): run apply again to see.</source>
        <translation>Exit-Codes: 0 fertig, 1 fehlgeschlagen, bevor etwas geändert wurde, 2 fehlerhafte Befehlszeile oder Eingabe, 3 eine Datei wurde auf dem Pi seit dem Lesen geändert (nichts geändert), 4 eine Prüfung schlug fehl und alle Dateien wurden wiederhergestellt, 5 installiert, aber die Live-Prüfung sah keine Daten, 6 das Ergebnis ist ungewiss (Verbindung während des Anwendens verloren oder das Zurücksetzen schlug fehl): Führen Sie apply erneut aus, um es zu sehen.</translation>
    </message>
    <message>
        <source>The station profile (JSON).</source>
        <translation>Das Stationsprofil (JSON).</translation>
    </message>
    <message>
        <source>Print the plan and the diff; change nothing.</source>
        <translation>Plan und Diff ausgeben; nichts ändern.</translation>
    </message>
    <message>
        <source>Do not install weewx-mqtt when it is missing (then nothing is changed).</source>
        <translation>weewx-mqtt nicht installieren, wenn es fehlt (dann wird nichts geändert).</translation>
    </message>
    <message>
        <source>Skip the live check after installing.</source>
        <translation>Die Live-Prüfung nach der Installation überspringen.</translation>
    </message>
    <message>
        <source>apply needs --profile FILE.</source>
        <translation>apply braucht --profile DATEI.</translation>
    </message>
    <message>
        <source>Cannot read %1: %2</source>
        <translation>%1 kann nicht gelesen werden: %2</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>Apply this plan on the Pi? [y/N] </source>
        <translation>Diesen Plan auf dem Pi anwenden? [y/N] </translation>
    </message>
    <message>
        <source>Nothing was changed.</source>
        <translation>Es wurde nichts geändert.</translation>
    </message>
    <message>
        <source>Standard input is not a terminal: pass --yes to apply without confirming, or --dry-run to see the plan.</source>
        <translation>Die Standardeingabe ist kein Terminal: Geben Sie --yes an, um ohne Bestätigung anzuwenden, oder --dry-run, um den Plan zu sehen.</translation>
    </message>
    <message>
        <source>The Pi&apos;s host name or address.</source>
        <translation>Hostname oder Adresse des Pi.</translation>
    </message>
    <message>
        <source>host</source>
        <translation>Host</translation>
    </message>
    <message>
        <source>SSH port (default 22).</source>
        <translation>SSH-Port (Vorgabe: 22).</translation>
    </message>
    <message>
        <source>port</source>
        <translation>Port</translation>
    </message>
    <message>
        <source>SSH user.</source>
        <translation>SSH-Benutzer.</translation>
    </message>
    <message>
        <source>name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Backup to restore (a folder name in /var/backups/weewx-mqtt-wizard; default: the latest apply not undone yet).</source>
        <translation>Wiederherzustellende Sicherung (ein Ordnername in /var/backups/weewx-mqtt-wizard; Vorgabe: das letzte noch nicht rückgängig gemachte Anwenden).</translation>
    </message>
    <message>
        <source>--host</source>
        <translation>--host</translation>
    </message>
    <message>
        <source>--port must be between 1 and 65535.</source>
        <translation>--port muss zwischen 1 und 65535 liegen.</translation>
    </message>
    <message>
        <source>Standard input is not a terminal: pass --yes and --passwords-stdin.</source>
        <translation>Die Standardeingabe ist kein Terminal: Geben Sie --yes und --passwords-stdin an.</translation>
    </message>
</context>
<context>
    <name>CommandLine</name>
    <message>
        <source>Gives the Belchertown page of a WeeWX station live updates over MQTT websockets: sets up the Raspberry Pi over SSH, diagnoses a failing live page, or exports a config bundle.

Without a command, the wizard starts.</source>
        <translation>Versorgt die Belchertown-Seite einer WeeWX-Station über MQTT-Websockets mit Live-Daten: richtet den Raspberry Pi über SSH ein, untersucht eine nicht funktionierende Live-Seite oder exportiert ein Konfigurationspaket.

Ohne Befehl startet der Assistent.</translation>
    </message>
    <message>
        <source>Language of the program, e.g. &quot;de&quot; (default: the system&apos;s).</source>
        <translation>Sprache des Programms, z. B. „de“ (Vorgabe: die des Systems).</translation>
    </message>
    <message>
        <source>code</source>
        <translation>Code</translation>
    </message>
    <message>
        <source>Render every wizard page to &lt;dir&gt;/&lt;page&gt;.png and exit.</source>
        <translation>Jede Seite des Assistenten als &lt;dir&gt;/&lt;page&gt;.png speichern und beenden.</translation>
    </message>
    <message>
        <source>dir</source>
        <translation>dir</translation>
    </message>
    <message>
        <source>No headless commands in this build.</source>
        <translation>Diese Version hat keine Befehle ohne Oberfläche.</translation>
    </message>
    <message>
        <source>A job to run without the wizard:%1</source>
        <translation>Eine Aufgabe, die ohne den Assistenten läuft:%1</translation>
    </message>
    <message>
        <source>[command [options]]</source>
        <translation>[Befehl [Optionen]]</translation>
    </message>
    <message>
        <source>Unknown command &quot;%1&quot;. Run with --help for the list.</source>
        <translation>Unbekannter Befehl „%1“. Die Liste zeigt --help.</translation>
    </message>
    <message>
        <source>Screenshots failed: %1</source>
        <translation>Bildschirmfotos fehlgeschlagen: %1</translation>
    </message>
    <message>
        <source>Open the station profile &lt;file&gt; (JSON) in the wizard.</source>
        <translation>Das Stationsprofil &lt;Datei&gt; (JSON) im Assistenten öffnen.</translation>
    </message>
    <message>
        <source>file</source>
        <translation>Datei</translation>
    </message>
    <message>
        <source>Cannot open the profile %1: %2</source>
        <translation>Das Profil %1 kann nicht geöffnet werden: %2</translation>
    </message>
</context>
<context>
    <name>DiagnoseCommand</name>
    <message>
        <source>Find out why the Belchertown live page fails: every known cause, with its evidence and the fix.</source>
        <translation>Findet heraus, warum die Belchertown-Live-Seite nicht funktioniert: jede bekannte Ursache, mit Belegen und Abhilfe.</translation>
    </message>
    <message>
        <source>It logs in to the Pi over SSH, collects the facts (files, permissions, services, ports, logs, locale; with sudo it reads the files only root can read), reads the page&apos;s settings from weewx.conf and its generated JavaScript, and connects to the broker as the page does. A healthy Pi is reported with the live readings as proof.

Passwords are never arguments. When standard input is a terminal, the sudo password is asked for (and the SSH password when the login needs one). --passwords-stdin reads KEY=VALUE lines instead (everything after the first &apos;=&apos; is the password; a CR/LF at the end is dropped; the same lines as for apply): ssh= the SSH login password (leave out for keys or an agent), sudo= the sudo password (default: the SSH one; without either the facts are collected without sudo), web= the web page user&apos;s and publish= the publishing user&apos;s MQTT passwords (optional: the page&apos;s own are read from weewx.conf on the Pi; given ones are masked in every output).

The Pi&apos;s host key is checked against known_hosts (~/.ssh/known_hosts unless --known-hosts names another file), as ssh does. An unknown key is asked about on a terminal and refused otherwise, unless --accept-host-key names its fingerprint; a changed key is always refused.

Exit codes:
   0  nothing fails (warnings may be printed)
   1  at least one finding fails
   2  bad command line or input
   3  nothing could be diagnosed: no SSH login (host key refused, wrong password) or the facts could not be collected
   4  diagnosed, but the --report file could not be written</source>
        <translation>Es meldet sich über SSH am Pi an, sammelt die Informationen (Dateien, Berechtigungen, Dienste, Ports, Logs, Locale; mit sudo liest es auch die Dateien, die nur root lesen kann), liest die Einstellungen der Seite aus weewx.conf und ihrem erzeugten JavaScript und verbindet sich wie die Seite mit dem Broker. Ein fehlerfreier Pi wird mit den Live-Messwerten als Nachweis gemeldet.

Passwörter sind nie Argumente. Wenn die Standardeingabe ein Terminal ist, wird das sudo-Passwort abgefragt (und das SSH-Passwort, wenn die Anmeldung eines braucht). --passwords-stdin liest stattdessen KEY=VALUE-Zeilen (alles nach dem ersten &apos;=&apos; ist das Passwort; ein CR/LF am Ende wird entfernt; dieselben Zeilen wie bei apply): ssh= das Passwort der SSH-Anmeldung (weglassen bei Schlüsseln oder einem Agent), sudo= das sudo-Passwort (Vorgabe: das SSH-Passwort; ohne beide werden die Informationen ohne sudo gesammelt), web= das MQTT-Passwort des Webseiten-Benutzers und publish= das des veröffentlichenden Benutzers (optional: die Passwörter der Seite werden auf dem Pi aus weewx.conf gelesen; angegebene werden in jeder Ausgabe maskiert).

Der Host-Schlüssel des Pi wird wie bei ssh mit known_hosts abgeglichen (~/.ssh/known_hosts, sofern --known-hosts keine andere Datei nennt). Nach einem unbekannten Schlüssel wird im Terminal gefragt, sonst wird er abgelehnt, es sei denn, --accept-host-key nennt seinen Fingerabdruck; ein geänderter Schlüssel wird immer abgelehnt.

Exit-Codes:
   0  nichts schlägt fehl (Warnungen sind möglich)
   1  mindestens ein Befund schlägt fehl
   2  fehlerhafte Befehlszeile oder Eingabe
   3  nichts konnte diagnostiziert werden: keine SSH-Anmeldung (Host-Schlüssel abgelehnt, falsches Passwort) oder die Informationen konnten nicht gesammelt werden
   4  diagnostiziert, aber die --report-Datei konnte nicht geschrieben werden</translation>
    </message>
    <message>
        <source>The Pi&apos;s host name or address (required).</source>
        <translation>Hostname oder Adresse des Pi (erforderlich).</translation>
    </message>
    <message>
        <source>host</source>
        <translation>Host</translation>
    </message>
    <message>
        <source>SSH port (default 22).</source>
        <translation>SSH-Port (Vorgabe: 22).</translation>
    </message>
    <message>
        <source>port</source>
        <translation>Port</translation>
    </message>
    <message>
        <source>SSH user (default: from ~/.ssh/config, else yours).</source>
        <translation>SSH-Benutzer (Vorgabe: aus ~/.ssh/config, sonst Ihrer).</translation>
    </message>
    <message>
        <source>name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>The live page as visitors open it, e.g. https://example.org/weather/ (finds an https page with a plain ws:// connection).</source>
        <translation>Die Live-Seite, wie Besucher sie öffnen, z. B. https://example.org/weather/ (erkennt eine https-Seite mit einer einfachen ws://-Verbindung).</translation>
    </message>
    <message>
        <source>url</source>
        <translation>URL</translation>
    </message>
    <message>
        <source>Print the report as JSON instead of text.</source>
        <translation>Den Bericht als JSON statt als Text ausgeben.</translation>
    </message>
    <message>
        <source>Also write the report to FILE: Markdown for .md, HTML for .html.</source>
        <translation>Den Bericht zusätzlich in DATEI schreiben: Markdown für .md, HTML für .html.</translation>
    </message>
    <message>
        <source>file</source>
        <translation>Datei</translation>
    </message>
    <message>
        <source>List the checks that passed too.</source>
        <translation>Auch die bestandenen Prüfungen auflisten.</translation>
    </message>
    <message>
        <source>Read the passwords from standard input (see above).</source>
        <translation>Die Passwörter von der Standardeingabe lesen (siehe oben).</translation>
    </message>
    <message>
        <source>known_hosts file (default: ~/.ssh/known_hosts).</source>
        <translation>known_hosts-Datei (Vorgabe: ~/.ssh/known_hosts).</translation>
    </message>
    <message>
        <source>SSH private key file.</source>
        <translation>Datei mit dem privaten SSH-Schlüssel.</translation>
    </message>
    <message>
        <source>Trust an unknown host key with this SHA256 fingerprint (as shown).</source>
        <translation>Einem unbekannten Host-Schlüssel mit diesem SHA256-Fingerabdruck vertrauen (wie angezeigt).</translation>
    </message>
    <message>
        <source>fingerprint</source>
        <translation>Fingerabdruck</translation>
    </message>
    <message>
        <source>Seconds to wait for loop data in the live check (default: 30).</source>
        <translation>Sekunden, die bei der Live-Prüfung auf Loop-Daten gewartet wird (Vorgabe: 30).</translation>
    </message>
    <message>
        <source>seconds</source>
        <translation>Sekunden</translation>
    </message>
    <message>
        <source>Passwords are never command-line arguments (other users can read those). Use --passwords-stdin or type them when asked.</source>
        <translation>Passwörter sind nie Befehlszeilenargumente (andere Benutzer können diese lesen). Verwenden Sie --passwords-stdin oder geben Sie sie ein, wenn Sie danach gefragt werden.</translation>
    </message>
    <message>
        <source>diagnose takes no arguments besides its options, not &quot;%1&quot; (the Pi goes with --host).</source>
        <translation>diagnose nimmt außer seinen Optionen keine Argumente an, nicht „%1“ (der Pi wird mit --host angegeben).</translation>
    </message>
    <message>
        <source>--host is missing: the Pi&apos;s host name or address, e.g. --host weatherpi.local.</source>
        <translation>--host fehlt: der Hostname oder die Adresse des Pi, z. B. --host weatherpi.local.</translation>
    </message>
    <message>
        <source>--host</source>
        <translation>--host</translation>
    </message>
    <message>
        <source>--port must be a number between 1 and 65535, not &quot;%1&quot;.</source>
        <translation>--port muss eine Zahl zwischen 1 und 65535 sein, nicht „%1“.</translation>
    </message>
    <message>
        <source>--user</source>
        <translation>--user</translation>
    </message>
    <message>
        <source>--identity: the key file &quot;%1&quot; does not exist.</source>
        <translation>--identity: Die Schlüsseldatei „%1“ existiert nicht.</translation>
    </message>
    <message>
        <source>--accept-host-key needs the fingerprint as ssh shows it, &quot;SHA256:…&quot;.</source>
        <translation>--accept-host-key braucht den Fingerabdruck so, wie ssh ihn anzeigt, &quot;SHA256:…&quot;.</translation>
    </message>
    <message>
        <source>--page-url must be the page&apos;s address starting with http:// or https://, not &quot;%1&quot;.</source>
        <translation>--page-url muss die Adresse der Seite sein, beginnend mit http:// oder https://, nicht „%1“.</translation>
    </message>
    <message>
        <source>--live-timeout must be a number of seconds above 0, not &quot;%1&quot;.</source>
        <translation>--live-timeout muss eine Anzahl Sekunden größer als 0 sein, nicht „%1“.</translation>
    </message>
    <message>
        <source>--report: the file name must end in .md (Markdown) or .html, not &quot;%1&quot;.</source>
        <translation>--report: Der Dateiname muss auf .md (Markdown) oder .html enden, nicht „%1“.</translation>
    </message>
    <message>
        <source>sudo password on the Pi (empty: collect the facts without sudo): </source>
        <translation>sudo-Passwort auf dem Pi (leer: Systeminformationen ohne sudo sammeln): </translation>
    </message>
    <message>
        <source>Note: no sudo password (standard input is not a terminal and --passwords-stdin is not given): files only root can read are not checked.</source>
        <translation>Hinweis: kein sudo-Passwort (die Standardeingabe ist kein Terminal und --passwords-stdin ist nicht angegeben): Dateien, die nur root lesen kann, werden nicht geprüft.</translation>
    </message>
    <message>
        <source>[%1 s] Connecting to %2 over SSH</source>
        <translation>[%1 s] Verbindung zu %2 über SSH wird hergestellt</translation>
    </message>
    <message>
        <source>Diagnosis of %1 (the Pi calls itself &quot;%2&quot;)</source>
        <translation>Diagnose von %1 (der Pi nennt sich „%2“)</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>unbekannt</translation>
    </message>
    <message>
        <source>%1 %2: %3 [%4]</source>
        <translation>%1 %2: %3 [%4]</translation>
    </message>
    <message>
        <source>Fix: %1</source>
        <translation>Abhilfe: %1</translation>
    </message>
    <message>
        <source>The wizard fixes this: provision again.</source>
        <translation>Der Assistent behebt das: Richten Sie die Live-Updates erneut ein.</translation>
    </message>
    <message>
        <source>The wizard fixes this: provision again with %1 corrected.</source>
        <translation>Der Assistent behebt das: Richten Sie die Live-Updates erneut ein und korrigieren Sie dabei %1.</translation>
    </message>
    <message numerus="yes">
        <source>✓ %n check(s) passed</source>
        <translation>
            <numerusform>✓ %n Prüfung(en) bestanden</numerusform>
            <numerusform>✓ %n Prüfung(en) bestanden</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>; %n not checked</source>
        <translation>
            <numerusform>; %n nicht geprüft</numerusform>
            <numerusform>; %n nicht geprüft</numerusform>
        </translation>
    </message>
    <message>
        <source> (--all lists them).</source>
        <translation> (--all listet sie auf).</translation>
    </message>
    <message>
        <source>Live readings from %1 (topic %2):</source>
        <translation>Live-Messwerte von %1 (Topic %2):</translation>
    </message>
    <message>
        <source>(exit code %1)</source>
        <translation>(Exit-Code %1)</translation>
    </message>
    <message>
        <source>[%1 s] %2</source>
        <translation>[%1 s] %2</translation>
    </message>
    <message>
        <source>The report could not be written to %1: %2</source>
        <translation>Der Bericht konnte nicht in %1 geschrieben werden: %2</translation>
    </message>
    <message>
        <source>Report written to %1</source>
        <translation>Bericht geschrieben nach %1</translation>
    </message>
    <message>
        <source>The Pi cannot be reached over SSH</source>
        <translation>Der Pi ist über SSH nicht erreichbar</translation>
    </message>
</context>
<context>
    <name>ExportCommand</name>
    <message>
        <source>Write a bundle (.tar.gz or .zip) that applies a profile on a Pi without this program, by install.sh or Ansible.</source>
        <translation>Ein Paket (.tar.gz oder .zip) schreiben, das ein Profil ohne dieses Programm auf einem Pi anwendet, per install.sh oder Ansible.</translation>
    </message>
    <message>
        <source>Standard input is not a terminal: give the passwords with --passwords-stdin (one per line).</source>
        <translation>Die Standardeingabe ist kein Terminal: Geben Sie die Passwörter mit --passwords-stdin an (eines pro Zeile).</translation>
    </message>
    <message>
        <source>Password of the publishing MQTT user &quot;%1&quot;: </source>
        <translation>Passwort des veröffentlichenden MQTT-Benutzers „%1“: </translation>
    </message>
    <message>
        <source>Password of the web page user &quot;%1&quot; (public: visitors can read it): </source>
        <translation>Passwort des Webseiten-Benutzers „%1“ (öffentlich: Besucher können es lesen): </translation>
    </message>
    <message>
        <source>Two passwords are needed, one per line: the publishing user&apos;s, then the web page user&apos;s.</source>
        <translation>Es werden zwei Passwörter benötigt, eines pro Zeile: das des veröffentlichenden Benutzers, dann das des Webseiten-Benutzers.</translation>
    </message>
    <message>
        <source>The publishing user&apos;s password is needed.</source>
        <translation>Das Passwort des veröffentlichenden Benutzers wird benötigt.</translation>
    </message>
    <message>
        <source>

The passwords of the MQTT users are asked for on the terminal, or read from standard input with --passwords-stdin: the publishing user&apos;s on the first line, the web page user&apos;s on the second (when it is a separate user). They are never arguments.

Exit codes: 0 written, 1 the bundle could not be made or written, 2 bad command line or input.</source>
        <translation>

Die Passwörter der MQTT-Benutzer werden im Terminal abgefragt oder mit --passwords-stdin von der Standardeingabe gelesen: das des veröffentlichenden Benutzers in der ersten Zeile, das des Webseiten-Benutzers in der zweiten (wenn es ein eigener Benutzer ist). Sie sind nie Argumente.

Exit-Codes: 0 geschrieben, 1 das Paket konnte nicht erstellt oder geschrieben werden, 2 fehlerhafte Befehlszeile oder Eingabe.</translation>
    </message>
    <message>
        <source>The station profile (JSON, as the wizard saves it).</source>
        <translation>Das Stationsprofil (JSON, wie der Assistent es speichert).</translation>
    </message>
    <message>
        <source>file</source>
        <translation>Datei</translation>
    </message>
    <message>
        <source>The bundle to write: NAME.tar.gz or NAME.zip.</source>
        <translation>Das zu schreibende Paket: NAME.tar.gz oder NAME.zip.</translation>
    </message>
    <message>
        <source>The Pi&apos;s current weewx.conf: the bundle then also holds it fully edited.</source>
        <translation>Die aktuelle weewx.conf des Pi: Das Paket enthält sie dann auch vollständig bearbeitet.</translation>
    </message>
    <message>
        <source>Read the passwords from standard input, one per line.</source>
        <translation>Die Passwörter von der Standardeingabe lesen, eines pro Zeile.</translation>
    </message>
    <message>
        <source>Also put the plain-text passwords into reference/passwords.txt (for your records; nothing installs it).</source>
        <translation>Die Klartext-Passwörter zusätzlich in reference/passwords.txt ablegen (für Ihre Unterlagen; nichts installiert sie).</translation>
    </message>
    <message>
        <source>Replace FILE if it exists.</source>
        <translation>DATEI ersetzen, falls sie existiert.</translation>
    </message>
    <message>
        <source>Passwords are never command-line arguments (other users can read those). Use --passwords-stdin, or answer the prompt.</source>
        <translation>Passwörter sind nie Befehlszeilenargumente (andere Benutzer können diese lesen). Verwenden Sie --passwords-stdin oder beantworten Sie die Abfrage.</translation>
    </message>
    <message>
        <source>export takes no arguments besides its options: &quot;%1&quot;</source>
        <translation>export nimmt außer seinen Optionen keine Argumente an: „%1“</translation>
    </message>
    <message>
        <source>--profile is missing: the station profile to export.</source>
        <translation>--profile fehlt: das zu exportierende Stationsprofil.</translation>
    </message>
    <message>
        <source>--out is missing: the bundle to write (NAME.tar.gz or NAME.zip).</source>
        <translation>--out fehlt: das zu schreibende Paket (NAME.tar.gz oder NAME.zip).</translation>
    </message>
    <message>
        <source>--out: &quot;%1&quot; must end in .tar.gz, .tgz or .zip.</source>
        <translation>--out: „%1“ muss auf .tar.gz, .tgz oder .zip enden.</translation>
    </message>
    <message>
        <source>--out: &quot;%1&quot; exists; add --force to replace it.</source>
        <translation>--out: „%1“ existiert; fügen Sie --force hinzu, um es zu ersetzen.</translation>
    </message>
    <message>
        <source>--profile: cannot read &quot;%1&quot;: %2</source>
        <translation>--profile: „%1“ kann nicht gelesen werden: %2</translation>
    </message>
    <message>
        <source>--profile: %1</source>
        <translation>--profile: %1</translation>
    </message>
    <message>
        <source>--weewx-conf: cannot read &quot;%1&quot;: %2</source>
        <translation>--weewx-conf: „%1“ kann nicht gelesen werden: %2</translation>
    </message>
    <message>
        <source>Cannot write &quot;%1&quot;: %2</source>
        <translation>„%1“ kann nicht geschrieben werden: %2</translation>
    </message>
    <message>
        <source>Wrote %1 (%2 files). It holds password hashes and the passwords WeeWX needs: keep it private.</source>
        <translation>%1 geschrieben (%2 Dateien). Es enthält Passwort-Hashes und die Passwörter, die WeeWX braucht: Halten Sie es geheim.</translation>
    </message>
    <message>
        <source>On the Pi: %1 &amp;&amp; cd %2 &amp;&amp; sudo sh install.sh --dry-run &amp;&amp; sudo sh install.sh</source>
        <translation>Auf dem Pi: %1 &amp;&amp; cd %2 &amp;&amp; sudo sh install.sh --dry-run &amp;&amp; sudo sh install.sh</translation>
    </message>
</context>
<context>
    <name>LiveCheckCommand</name>
    <message>
        <source>Connect like the Belchertown page and say whether live data arrives.</source>
        <translation>Verbindet sich wie die Belchertown-Seite und meldet, ob Live-Daten ankommen.</translation>
    </message>
    <message>
        <source>Exit codes:
   0  receiving: loop data arrived
   2  bad command line or input
  10  the host name does not resolve
  11  TCP refused: nothing listens on that port
  12  TCP timeout: firewall, port forwarding or wrong address
  13  network unreachable
  14  TLS handshake failed (wss:// to a plain listener?)
  15  certificate not trusted (see --ca, --accept-certificate)
  16  the port answers but is not a websocket listener (the MQTT port?)
  17  websocket open but no CONNACK (subprotocol, proxy)
  21-25  CONNACK 1-5: protocol version, client id, server unavailable,
         bad user name or password, not authorised
  30  subscription refused (SUBACK 0x80)
  31  subscribed, but no message in time (WeeWX not publishing, wrong
      topic, or an ACL that silently denies reading)
  32  only archive records arrived (binding lacks loop)
  33  messages arrived but none is loop JSON
  40  connection lost
  41  MQTT protocol error</source>
        <translation>Exit-Codes:
   0  Empfang: Loop-Daten sind angekommen
   2  fehlerhafte Befehlszeile oder Eingabe
  10  der Hostname lässt sich nicht auflösen
  11  TCP abgelehnt: An diesem Port lauscht nichts
  12  TCP-Zeitüberschreitung: Firewall, Portweiterleitung oder falsche Adresse
  13  Netzwerk nicht erreichbar
  14  TLS-Handshake fehlgeschlagen (wss:// zu einem Listener ohne TLS?)
  15  Zertifikat nicht vertrauenswürdig (siehe --ca, --accept-certificate)
  16  der Port antwortet, ist aber kein Websocket-Listener (der MQTT-Port?)
  17  Websocket offen, aber kein CONNACK (Subprotokoll, Proxy)
  21-25  CONNACK 1-5: Protokollversion, Client-ID, Server nicht verfügbar,
         falscher Benutzername oder falsches Passwort, nicht berechtigt
  30  Abonnement abgelehnt (SUBACK 0x80)
  31  abonniert, aber keine Nachricht rechtzeitig (WeeWX veröffentlicht nicht,
      falsches Topic oder eine Zugriffsliste, die das Lesen stillschweigend verweigert)
  32  nur Archivdatensätze angekommen (binding enthält kein loop)
  33  Nachrichten angekommen, aber keine ist Loop-JSON
  40  Verbindung verloren
  41  MQTT-Protokollfehler</translation>
    </message>
    <message>
        <source>input</source>
        <translation>Eingabe</translation>
    </message>
    <message>
        <source>name lookup</source>
        <translation>Namensauflösung</translation>
    </message>
    <message>
        <source>TCP</source>
        <translation>TCP</translation>
    </message>
    <message>
        <source>TLS</source>
        <translation>TLS</translation>
    </message>
    <message>
        <source>websocket</source>
        <translation>Websocket</translation>
    </message>
    <message>
        <source>MQTT</source>
        <translation>MQTT</translation>
    </message>
    <message>
        <source>authentication</source>
        <translation>Anmeldung</translation>
    </message>
    <message>
        <source>publishing</source>
        <translation>Veröffentlichung</translation>
    </message>
    <message>
        <source>

URL is what the page connects to: ws://host:port/mqtt (wss:// with TLS); host:port alone means ws://host:port/mqtt. The password is never an argument: give it on standard input with --password-stdin.

</source>
        <translation>

URL ist die Adresse, mit der sich die Seite verbindet: ws://host:port/mqtt (wss:// mit TLS); host:port allein bedeutet ws://host:port/mqtt. Das Passwort ist nie ein Argument: Geben Sie es mit --password-stdin über die Standardeingabe ein.

</translation>
    </message>
    <message>
        <source>The broker&apos;s websocket address.</source>
        <translation>Die Websocket-Adresse des Brokers.</translation>
    </message>
    <message>
        <source>MQTT user name (default: none).</source>
        <translation>MQTT-Benutzername (Vorgabe: keiner).</translation>
    </message>
    <message>
        <source>name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Topic the page subscribes to, e.g. weather/loop.</source>
        <translation>Topic, das die Seite abonniert, z. B. weather/loop.</translation>
    </message>
    <message>
        <source>topic</source>
        <translation>Topic</translation>
    </message>
    <message>
        <source>Read the password from the first line of standard input.</source>
        <translation>Das Passwort aus der ersten Zeile der Standardeingabe lesen.</translation>
    </message>
    <message>
        <source>Seconds to wait for loop data after subscribing (default: 30).</source>
        <translation>Sekunden, die nach dem Abonnieren auf Loop-Daten gewartet wird (Vorgabe: 30).</translation>
    </message>
    <message>
        <source>seconds</source>
        <translation>Sekunden</translation>
    </message>
    <message>
        <source>Seconds for each network step: connect, CONNACK, SUBACK (default: 10).</source>
        <translation>Sekunden für jeden Netzwerkschritt: Verbinden, CONNACK, SUBACK (Vorgabe: 10).</translation>
    </message>
    <message>
        <source>PEM file of the CA that signed the broker&apos;s certificate.</source>
        <translation>PEM-Datei der CA, die das Zertifikat des Brokers signiert hat.</translation>
    </message>
    <message>
        <source>file</source>
        <translation>Datei</translation>
    </message>
    <message>
        <source>Trust exactly the certificate with this SHA-256 fingerprint (shown when it is not trusted).</source>
        <translation>Genau dem Zertifikat mit diesem SHA-256-Fingerabdruck vertrauen (wird angezeigt, wenn es nicht vertrauenswürdig ist).</translation>
    </message>
    <message>
        <source>fingerprint</source>
        <translation>Fingerabdruck</translation>
    </message>
    <message>
        <source>Print one JSON object per line instead of text.</source>
        <translation>Ein JSON-Objekt pro Zeile statt Text ausgeben.</translation>
    </message>
    <message>
        <source>The password is never a command-line argument (other users can read those). Use --password-stdin and type or pipe it.</source>
        <translation>Das Passwort ist nie ein Befehlszeilenargument (andere Benutzer können diese lesen). Verwenden Sie --password-stdin und tippen Sie es ein oder leiten Sie es per Pipe weiter.</translation>
    </message>
    <message>
        <source>live-check needs exactly one URL, e.g. ws://pi.local:9001/mqtt.</source>
        <translation>live-check braucht genau eine URL, z. B. ws://pi.local:9001/mqtt.</translation>
    </message>
    <message>
        <source>--topic is missing: the topic the page subscribes to, e.g. weather/loop.</source>
        <translation>--topic fehlt: das Topic, das die Seite abonniert, z. B. weather/loop.</translation>
    </message>
    <message>
        <source>--password-stdin needs --user (MQTT sends no password without a user name).</source>
        <translation>--password-stdin braucht --user (MQTT sendet ohne Benutzernamen kein Passwort).</translation>
    </message>
    <message>
        <source>Cannot read standard input.</source>
        <translation>Die Standardeingabe kann nicht gelesen werden.</translation>
    </message>
    <message>
        <source>--password-stdin: standard input holds no password.</source>
        <translation>--password-stdin: Die Standardeingabe enthält kein Passwort.</translation>
    </message>
    <message>
        <source>--timeout must be a number of seconds above 0, not &quot;%1&quot;.</source>
        <translation>--timeout muss eine Anzahl Sekunden größer als 0 sein, nicht „%1“.</translation>
    </message>
    <message>
        <source>--connect-timeout must be a number of seconds above 0, not &quot;%1&quot;.</source>
        <translation>--connect-timeout muss eine Anzahl Sekunden größer als 0 sein, nicht „%1“.</translation>
    </message>
    <message>
        <source>--ca: no PEM certificate in &quot;%1&quot;.</source>
        <translation>--ca: kein PEM-Zertifikat in „%1“.</translation>
    </message>
    <message>
        <source>--accept-certificate needs a SHA-256 fingerprint (64 hex digits, colons allowed).</source>
        <translation>--accept-certificate braucht einen SHA-256-Fingerabdruck (64 Hexziffern, Doppelpunkte erlaubt).</translation>
    </message>
    <message>
        <source>[%1 s] %2: %3</source>
        <translation>[%1 s] %2: %3</translation>
    </message>
    <message>
        <source>[%1 s]   %2</source>
        <translation>[%1 s]   %2</translation>
    </message>
    <message>
        <source>
  %1 = %2 %3</source>
        <translation>
  %1 = %2 %3</translation>
    </message>
    <message>
        <source>Data received %1 (station time).%2</source>
        <translation>Daten empfangen %1 (Stationszeit).%2</translation>
    </message>
    <message>
        <source>%1 failure: %2
Fix: %3</source>
        <translation>Fehler (%1): %2
Abhilfe: %3</translation>
    </message>
    <message>
        <source>
After checking the fingerprint: --accept-certificate %1</source>
        <translation>
Nach Prüfung des Fingerabdrucks: --accept-certificate %1</translation>
    </message>
    <message>
        <source>
(exit code %1)</source>
        <translation>
(Exit-Code %1)</translation>
    </message>
</context>
<context>
    <name>Screenshots</name>
    <message>
        <source>Cannot create the folder %1.</source>
        <translation>Der Ordner %1 kann nicht angelegt werden.</translation>
    </message>
    <message>
        <source>Cannot write %1.</source>
        <translation>%1 kann nicht geschrieben werden.</translation>
    </message>
</context>
<context>
    <name>SshLogin</name>
    <message>
        <source>--passwords-stdin: a line does not start with %1.</source>
        <translation>--passwords-stdin: Eine Zeile beginnt nicht mit %1.</translation>
    </message>
    <message>
        <source>The Pi&apos;s host key is not known yet: %1 %2</source>
        <translation>Der Host-Schlüssel des Pi ist noch nicht bekannt: %1 %2</translation>
    </message>
    <message>
        <source>Trust it? [y/N] </source>
        <translation>Diesem Schlüssel vertrauen? [y/N] </translation>
    </message>
    <message>
        <source>Not trusted: --accept-host-key names another fingerprint.</source>
        <translation>Nicht vertrauenswürdig: --accept-host-key nennt einen anderen Fingerabdruck.</translation>
    </message>
    <message>
        <source>Not trusted. Check the fingerprint on the Pi (ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub), then pass --accept-host-key.</source>
        <translation>Nicht vertrauenswürdig. Prüfen Sie den Fingerabdruck auf dem Pi (ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub) und übergeben Sie dann --accept-host-key.</translation>
    </message>
</context>
<context>
    <name>wmw::ApplyPage</name>
    <message>
        <source>Apply</source>
        <translation>Anwenden</translation>
    </message>
    <message>
        <source>The files go to the Pi in one safe batch: checked, backed up, installed, the services restarted and verified, or every old file put back.</source>
        <translation>Die Dateien kommen in einem einzigen sicheren Durchgang auf den Pi: geprüft, gesichert, installiert, die Dienste neu gestartet und überprüft – oder jede alte Datei wird wiederhergestellt.</translation>
    </message>
    <message>
        <source>Steps</source>
        <translation>Schritte</translation>
    </message>
    <message>
        <source>&amp;Stop</source>
        <translation>&amp;Stopp</translation>
    </message>
    <message>
        <source>Stops before anything on the Pi is changed.</source>
        <translation>Hält an, bevor auf dem Pi etwas geändert wird.</translation>
    </message>
    <message>
        <source>&amp;Try again</source>
        <translation>&amp;Erneut versuchen</translation>
    </message>
    <message>
        <source>The Pi is installing now. From here it finishes, or puts every old file back, on its own, even if the connection breaks: stopping is no longer possible.</source>
        <translation>Der Pi installiert jetzt. Ab hier schließt er selbstständig ab oder stellt jede alte Datei wieder her, auch wenn die Verbindung abbricht: Ein Abbrechen ist nicht mehr möglich.</translation>
    </message>
    <message>
        <source>Log</source>
        <translation>Log</translation>
    </message>
    <message>
        <source>Log:</source>
        <translation>Log:</translation>
    </message>
    <message>
        <source>Not started.</source>
        <translation>Nicht gestartet.</translation>
    </message>
    <message>
        <source>Starting…</source>
        <translation>Wird gestartet…</translation>
    </message>
    <message>
        <source>↺ Rolled back. %1</source>
        <translation>↺ Zurückgesetzt. %1</translation>
    </message>
    <message>
        <source>✗ %1</source>
        <translation>✗ %1</translation>
    </message>
    <message>
        <source>weectl is installing weewx-mqtt on the Pi; stopping it half-way would leave a broken install, so it cannot be stopped until it is done.</source>
        <translation>weectl installiert weewx-mqtt auf dem Pi; ein Abbruch mittendrin hinterließe eine kaputte Installation, daher lässt es sich erst danach anhalten.</translation>
    </message>
</context>
<context>
    <name>wmw::BrokerPage</name>
    <message>
        <source>Broker users, topics and ports</source>
        <translation>Broker-Benutzer, Topics und Ports</translation>
    </message>
    <message>
        <source>WeeWX publishes with one user; the web page reads with another, because every visitor can read the page&apos;s password. The passwords are generated; show or copy them when you need them.</source>
        <translation>WeeWX veröffentlicht mit einem Benutzer; die Webseite liest mit einem anderen, denn jeder Besucher kann das Passwort der Seite lesen. Die Passwörter werden erzeugt; lassen Sie sie anzeigen oder kopieren Sie sie, wenn Sie sie brauchen.</translation>
    </message>
    <message>
        <source>none</source>
        <translation>keine</translation>
    </message>
    <message>
        <source>Every client logs in (recommended)</source>
        <translation>Jeder Client meldet sich an (empfohlen)</translation>
    </message>
    <message>
        <source>Anonymous clients may read the loop topic only</source>
        <translation>Anonyme Clients dürfen nur das Loop-Topic lesen</translation>
    </message>
    <message>
        <source>Also keep the passwords in a cleartext reference file on the Pi (root only, as in the manual procedure)</source>
        <translation>Die Passwörter zusätzlich in einer Klartext-Referenzdatei auf dem Pi aufbewahren (nur root, wie beim manuellen Verfahren)</translation>
    </message>
    <message>
        <source>Off by default: anyone who gets root on the Pi reads it. The passwords stay in this laptop&apos;s keychain when you allow it.</source>
        <translation>Standardmäßig aus: Wer auf dem Pi root-Rechte erlangt, kann sie lesen. Die Passwörter bleiben im Schlüsselbund dieses Laptops, wenn Sie das erlauben.</translation>
    </message>
    <message>
        <source>MQTT users</source>
        <translation>MQTT-Benutzer</translation>
    </message>
    <message>
        <source>&amp;Web page user (reads only):</source>
        <translation>Webseiten-&amp;Benutzer (nur lesend):</translation>
    </message>
    <message>
        <source>Topics and listeners</source>
        <translation>Topics und Listener</translation>
    </message>
    <message>
        <source>&amp;Topic:</source>
        <translation>&amp;Topic:</translation>
    </message>
    <message>
        <source>WeeWX publishes the readings to &lt;topic&gt;/loop.</source>
        <translation>WeeWX veröffentlicht die Messwerte unter &lt;topic&gt;/loop.</translation>
    </message>
    <message>
        <source>E&amp;xtra topics the publisher may use:</source>
        <translation>Zusätzliche To&amp;pics für den veröffentlichenden Benutzer:</translation>
    </message>
    <message>
        <source>Ports:</source>
        <translation>Ports:</translation>
    </message>
    <message>
        <source>&amp;Anonymous clients:</source>
        <translation>&amp;Anonyme Clients:</translation>
    </message>
    <message>
        <source>P&amp;ublishing user (WeeWX):</source>
        <translation>Ver&amp;öffentlichender Benutzer (WeeWX):</translation>
    </message>
    <message>
        <source>Its pa&amp;ssword:</source>
        <translation>Sein Pa&amp;sswort:</translation>
    </message>
    <message>
        <source>Its passw&amp;ord:</source>
        <translation>Sein Passw&amp;ort:</translation>
    </message>
    <message>
        <source>M&amp;QTT:</source>
        <translation>M&amp;QTT:</translation>
    </message>
    <message>
        <source>Websoc&amp;kets:</source>
        <translation>Websoc&amp;kets:</translation>
    </message>
</context>
<context>
    <name>wmw::ChainWidget</name>
    <message>
        <source>Connection chain</source>
        <translation>Verbindungskette</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
</context>
<context>
    <name>wmw::ConnectionTest</name>
    <message>
        <source>The Pi answered, but its report could not be read: %1</source>
        <translation>Der Pi hat geantwortet, aber sein Bericht konnte nicht gelesen werden: %1</translation>
    </message>
    <message>
        <source>Connected to %1 as %2; sudo works.</source>
        <translation>Mit %1 als %2 verbunden; sudo funktioniert.</translation>
    </message>
    <message>
        <source>Connected to %1 as %2, without sudo: files only root can read were skipped. Give the sudo password to see them.</source>
        <translation>Mit %1 als %2 verbunden, ohne sudo: Dateien, die nur root lesen kann, wurden übersprungen. Geben Sie das sudo-Passwort an, um sie zu sehen.</translation>
    </message>
    <message>
        <source>not installed</source>
        <translation>nicht installiert</translation>
    </message>
    <message>
        <source>Operating system</source>
        <translation>Betriebssystem</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>unbekannt</translation>
    </message>
    <message>
        <source>mosquitto</source>
        <translation>mosquitto</translation>
    </message>
    <message>
        <source>installed</source>
        <translation>installiert</translation>
    </message>
    <message>
        <source> (apt install mosquitto)</source>
        <translation> (apt install mosquitto)</translation>
    </message>
    <message>
        <source>WeeWX</source>
        <translation>WeeWX</translation>
    </message>
    <message>
        <source>Debian package</source>
        <translation>Debian-Paket</translation>
    </message>
    <message>
        <source>pip</source>
        <translation>pip</translation>
    </message>
    <message>
        <source>package and pip</source>
        <translation>Paket und pip</translation>
    </message>
    <message>
        <source>%1, %2</source>
        <translation>%1, %2</translation>
    </message>
    <message>
        <source> — two installations: make sure the running one is set up</source>
        <translation> — zwei Installationen: Achten Sie darauf, dass die laufende eingerichtet wird</translation>
    </message>
    <message>
        <source>Belchertown skin</source>
        <translation>Belchertown-Skin</translation>
    </message>
    <message>
        <source>weewx-mqtt</source>
        <translation>weewx-mqtt</translation>
    </message>
    <message>
        <source> (weectl extension install …)</source>
        <translation> (weectl extension install …)</translation>
    </message>
    <message>
        <source>installed, but python3 cannot import paho.mqtt</source>
        <translation>installiert, aber python3 kann paho.mqtt nicht importieren</translation>
    </message>
    <message>
        <source>installed (paho-mqtt %1)</source>
        <translation>installiert (paho-mqtt %1)</translation>
    </message>
    <message>
        <source>Locale</source>
        <translation>Locale</translation>
    </message>
    <message>
        <source>valid</source>
        <translation>gültig</translation>
    </message>
    <message>
        <source>broken: %1</source>
        <translation>fehlerhaft: %1</translation>
    </message>
</context>
<context>
    <name>wmw::CredentialDialog</name>
    <message>
        <source>Key passphrase</source>
        <translation>Schlüssel-Passphrase</translation>
    </message>
    <message>
        <source>The SSH key is protected by a passphrase.</source>
        <translation>Der SSH-Schlüssel ist durch eine Passphrase geschützt.</translation>
    </message>
    <message>
        <source>SSH password</source>
        <translation>SSH-Passwort</translation>
    </message>
    <message>
        <source>%1 asks for the password of %2.</source>
        <translation>%1 fragt nach dem Passwort von %2.</translation>
    </message>
    <message>
        <source>SSH login</source>
        <translation>SSH-Anmeldung</translation>
    </message>
    <message>
        <source>%1 asks for %2:</source>
        <translation>%1 fragt für %2 Folgendes ab:</translation>
    </message>
    <message>
        <source>Passphrase:</source>
        <translation>Passphrase:</translation>
    </message>
    <message>
        <source>Password:</source>
        <translation>Passwort:</translation>
    </message>
</context>
<context>
    <name>wmw::Demo</name>
    <message>
        <source>Operating system</source>
        <translation>Betriebssystem</translation>
    </message>
    <message>
        <source>mosquitto</source>
        <translation>mosquitto</translation>
    </message>
    <message>
        <source>WeeWX</source>
        <translation>WeeWX</translation>
    </message>
    <message>
        <source>%1, %2</source>
        <translation>%1, %2</translation>
    </message>
    <message>
        <source>Debian package</source>
        <translation>Debian-Paket</translation>
    </message>
    <message>
        <source>Belchertown skin</source>
        <translation>Belchertown-Skin</translation>
    </message>
    <message>
        <source>installed</source>
        <translation>installiert</translation>
    </message>
    <message>
        <source>weewx-mqtt</source>
        <translation>weewx-mqtt</translation>
    </message>
    <message>
        <source>not installed</source>
        <translation>nicht installiert</translation>
    </message>
    <message>
        <source> (weectl extension install …)</source>
        <translation> (weectl extension install …)</translation>
    </message>
    <message>
        <source>Locale</source>
        <translation>Locale</translation>
    </message>
</context>
<context>
    <name>wmw::DetailsLog</name>
    <message>
        <source>Details</source>
        <translation>Details</translation>
    </message>
</context>
<context>
    <name>wmw::DiagnosisPage</name>
    <message>
        <source>Diagnose the live page</source>
        <translation>Live-Seite diagnostizieren</translation>
    </message>
    <message>
        <source>The wizard reads the Pi&apos;s files, services, ports and logs over SSH and connects the way the Belchertown page does. Each finding names its cause, shows the evidence and says how to fix it.</source>
        <translation>Der Assistent liest Dateien, Dienste, Ports und Logs des Pi über SSH und verbindet sich so, wie es die Belchertown-Seite tut. Jeder Befund nennt seine Ursache, zeigt die Belege und sagt, wie er sich beheben lässt.</translation>
    </message>
    <message>
        <source>optional, e.g. https://example.org/weather/</source>
        <translation>optional, z. B. https://example.org/weather/</translation>
    </message>
    <message>
        <source>The page as visitors open it: an https page cannot use a plain ws:// connection.</source>
        <translation>Die Seite, wie Besucher sie öffnen: Eine https-Seite kann keine einfache ws://-Verbindung verwenden.</translation>
    </message>
    <message>
        <source>&amp;Save report…</source>
        <translation>&amp;Bericht speichern…</translation>
    </message>
    <message>
        <source>Markdown (.md) or HTML (.html); passwords are masked.</source>
        <translation>Markdown (.md) oder HTML (.html); Passwörter werden maskiert.</translation>
    </message>
    <message>
        <source>&amp;Cancel</source>
        <translation>&amp;Abbrechen</translation>
    </message>
    <message>
        <source>&amp;Diagnose again</source>
        <translation>&amp;Erneut diagnostizieren</translation>
    </message>
    <message>
        <source>Diagnosing…</source>
        <translation>Diagnose läuft…</translation>
    </message>
    <message>
        <source>Starting…</source>
        <translation>Wird gestartet…</translation>
    </message>
    <message>
        <source>The diagnosis was cancelled.</source>
        <translation>Die Untersuchung wurde abgebrochen.</translation>
    </message>
    <message>
        <source>Readings: %1</source>
        <translation>Messwerte: %1</translation>
    </message>
    <message numerus="yes">
        <source>%n check(s) passed</source>
        <translation>
            <numerusform>%n Prüfung(en) bestanden</numerusform>
            <numerusform>%n Prüfung(en) bestanden</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>, %n not checked</source>
        <translation>
            <numerusform>, %n nicht geprüft</numerusform>
            <numerusform>, %n nicht geprüft</numerusform>
        </translation>
    </message>
    <message>
        <source>Evidence and fix</source>
        <translation>Belege und Abhilfe</translation>
    </message>
    <message>
        <source>Fix:</source>
        <translation>Abhilfe:</translation>
    </message>
    <message>
        <source>%1 derived</source>
        <translation>%1 abgeleitet</translation>
    </message>
    <message>
        <source>Fix it: provision again (from &quot;%1&quot;)</source>
        <translation>Beheben: erneut einrichten (ab „%1“)</translation>
    </message>
    <message>
        <source>Fix it: provision again with %1 (&quot;%2&quot;)</source>
        <translation>Beheben: erneut einrichten mit %1 („%2“)</translation>
    </message>
    <message>
        <source>Fix it</source>
        <translation>Beheben</translation>
    </message>
    <message>
        <source>Save report</source>
        <translation>Bericht speichern</translation>
    </message>
    <message>
        <source>Markdown (*.md);;HTML (*.html)</source>
        <translation>Markdown (*.md);;HTML (*.html)</translation>
    </message>
    <message>
        <source>Page &amp;address:</source>
        <translation>Seiten&amp;adresse:</translation>
    </message>
</context>
<context>
    <name>wmw::DiagnosisRun</name>
    <message>
        <source>The report could not be written to %1: %2</source>
        <translation>Der Bericht konnte nicht in %1 geschrieben werden: %2</translation>
    </message>
    <message>
        <source>anonymous</source>
        <translation>anonym</translation>
    </message>
    <message numerus="yes">
        <source>(and %n more)</source>
        <translation>
            <numerusform>(und %n weitere)</numerusform>
            <numerusform>(und %n weitere)</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>wmw::DonePage</name>
    <message>
        <source>Done</source>
        <translation>Fertig</translation>
    </message>
    <message>
        <source>What changed on the Pi, where the old files are, and how to go back.</source>
        <translation>Was sich auf dem Pi geändert hat, wo die alten Dateien liegen und wie Sie zum alten Stand zurückkehren.</translation>
    </message>
    <message>
        <source>Changed on the Pi</source>
        <translation>Auf dem Pi geändert</translation>
    </message>
    <message>
        <source>Backup and undo</source>
        <translation>Sicherung und Rückgängigmachen</translation>
    </message>
    <message>
        <source>Undo command</source>
        <translation>Befehl zum Rückgängigmachen</translation>
    </message>
    <message>
        <source>&amp;Copy</source>
        <translation>&amp;Kopieren</translation>
    </message>
    <message>
        <source>&amp;Undo now</source>
        <translation>&amp;Jetzt rückgängig machen</translation>
    </message>
    <message>
        <source>To restore it later from this laptop:</source>
        <translation>Um sie später von diesem Laptop aus wiederherzustellen:</translation>
    </message>
    <message>
        <source>Profile</source>
        <translation>Profil</translation>
    </message>
    <message>
        <source>&amp;Save profile…</source>
        <translation>Profil &amp;speichern…</translation>
    </message>
    <message>
        <source>The settings, to diagnose or change this Pi later. Passwords never go into the file; they go to the system keychain when you allow it (Profile menu).</source>
        <translation>Die Einstellungen, um diesen Pi später zu untersuchen oder zu ändern. Passwörter kommen nie in die Datei; sie kommen in den Schlüsselbund des Systems, wenn Sie es erlauben (Menü „Profil“).</translation>
    </message>
    <message>
        <source>↺ The backup was restored: %1 runs with its old files again.</source>
        <translation>↺ Die Sicherung wurde wiederhergestellt: %1 läuft wieder mit den alten Dateien.</translation>
    </message>
    <message>
        <source>✓ %1 publishes live data for the Belchertown page.</source>
        <translation>✓ %1 veröffentlicht Live-Daten für die Belchertown-Seite.</translation>
    </message>
    <message>
        <source>The files are installed on %1, but the live check saw no data yet: %2</source>
        <translation>Die Dateien sind auf %1 installiert, aber die Live-Prüfung hat noch keine Daten gesehen: %2</translation>
    </message>
    <message>
        <source>Nothing was installed in this session.</source>
        <translation>In dieser Sitzung wurde nichts installiert.</translation>
    </message>
    <message>
        <source>installed the weewx-mqtt extension (weectl extension install)</source>
        <translation>Erweiterung weewx-mqtt installiert (weectl extension install)</translation>
    </message>
    <message>
        <source>restarted %1</source>
        <translation>%1 neu gestartet</translation>
    </message>
    <message>
        <source>no service needed a restart</source>
        <translation>kein Dienst musste neu gestartet werden</translation>
    </message>
    <message>
        <source>Nothing.</source>
        <translation>Nichts.</translation>
    </message>
    <message>
        <source>The files it replaced are in %1/%2 on the Pi (readable by root only). Undo puts them back and restarts the services; files that did not exist before are removed.</source>
        <translation>Die ersetzten Dateien liegen auf dem Pi in %1/%2 (nur für root lesbar). „Rückgängig machen“ stellt sie wieder her und startet die Dienste neu; Dateien, die vorher nicht existierten, werden entfernt.</translation>
    </message>
    <message>
        <source>No backup was made: nothing was replaced.</source>
        <translation>Es wurde keine Sicherung angelegt: Nichts wurde ersetzt.</translation>
    </message>
    <message>
        <source>Undoing…</source>
        <translation>Wird rückgängig gemacht…</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>Rückgängig machen</translation>
    </message>
    <message>
        <source>Put the old files back on %1 and restart the services? The Belchertown page loses its live updates if it had none before.</source>
        <translation>Die alten Dateien auf %1 wiederherstellen und die Dienste neu starten? Die Belchertown-Seite verliert ihre Live-Aktualisierungen, wenn sie vorher keine hatte.</translation>
    </message>
    <message>
        <source>Save profile</source>
        <translation>Profil speichern</translation>
    </message>
    <message>
        <source>Station profiles (*.json)</source>
        <translation>Stationsprofile (*.json)</translation>
    </message>
    <message>
        <source>Saved to %1.</source>
        <translation>In %1 gespeichert.</translation>
    </message>
    <message>
        <source>✗ Not saved: %1</source>
        <translation>✗ Nicht gespeichert: %1</translation>
    </message>
</context>
<context>
    <name>wmw::ExportFlow</name>
    <message>
        <source>Destination: choose where the bundle goes.</source>
        <translation>Ziel: Wählen Sie, wohin das Paket geschrieben wird.</translation>
    </message>
    <message>
        <source>Destination: &quot;%1&quot; must end in %2 for this format.</source>
        <translation>Ziel: „%1“ muss für dieses Format auf %2 enden.</translation>
    </message>
    <message>
        <source>weewx.conf: the Pi&apos;s file has not been read in this session (the review page reads it). Choose a file instead.</source>
        <translation>weewx.conf: Die Datei des Pi wurde in dieser Sitzung nicht gelesen (die Seite „Änderungen prüfen“ liest sie). Wählen Sie stattdessen eine Datei.</translation>
    </message>
    <message>
        <source>weewx.conf: choose the file to put into the bundle.</source>
        <translation>weewx.conf: Wählen Sie die Datei, die in das Paket kommen soll.</translation>
    </message>
    <message>
        <source>weewx.conf: cannot read &quot;%1&quot;: %2</source>
        <translation>weewx.conf: „%1“ kann nicht gelesen werden: %2</translation>
    </message>
    <message>
        <source>Destination: cannot write &quot;%1&quot;: %2</source>
        <translation>Ziel: „%1“ kann nicht geschrieben werden: %2</translation>
    </message>
    <message numerus="yes">
        <source>Wrote %n file(s) into %1. It holds password hashes and the passwords WeeWX needs: keep it private.</source>
        <translation>
            <numerusform>%n Datei(en) in %1 geschrieben. Der Ordner enthält Passwort-Hashes und die Passwörter, die WeeWX braucht: Halten Sie ihn geheim.</numerusform>
            <numerusform>%n Datei(en) in %1 geschrieben. Der Ordner enthält Passwort-Hashes und die Passwörter, die WeeWX braucht: Halten Sie ihn geheim.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>wmw::ExportPage</name>
    <message>
        <source>Export a config bundle</source>
        <translation>Konfigurationspaket exportieren</translation>
    </message>
    <message>
        <source>A bundle applies these settings on the Pi without this program: sudo sh install.sh, or the Ansible playbook. It holds password hashes and the passwords WeeWX needs: it is written readable by you only.</source>
        <translation>Ein Paket wendet diese Einstellungen ohne dieses Programm auf dem Pi an: sudo sh install.sh oder das Ansible-Playbook. Es enthält Passwort-Hashes und die Passwörter, die WeeWX braucht: Es wird so geschrieben, dass nur Sie es lesen können.</translation>
    </message>
    <message>
        <source>.tar.gz (Linux, macOS, the Pi)</source>
        <translation>.tar.gz (Linux, macOS, der Pi)</translation>
    </message>
    <message>
        <source>.zip (Windows)</source>
        <translation>.zip (Windows)</translation>
    </message>
    <message>
        <source>C&amp;hoose…</source>
        <translation>&amp;Auswählen…</translation>
    </message>
    <message>
        <source>What goes in</source>
        <translation>Inhalt</translation>
    </message>
    <message>
        <source>Always: README.txt with the manual steps, install.sh, the mosquitto files (acl, password file with hashes, listener config), the weewx.conf edit script, the Ansible playbook with an inventory example, and MANIFEST.sha256.</source>
        <translation>Immer: README.txt mit den manuellen Schritten, install.sh, die mosquitto-Dateien (ACL, Passwortdatei mit Hashes, Listener-Konfiguration), das Bearbeitungsskript für weewx.conf, das Ansible-Playbook mit einem Inventory-Beispiel und MANIFEST.sha256.</translation>
    </message>
    <message>
        <source>The Pi&apos;s current weewx.conf, as read for the review, fully edited</source>
        <translation>Die aktuelle weewx.conf des Pi, wie sie für die Prüfung gelesen wurde, vollständig bearbeitet</translation>
    </message>
    <message>
        <source>No weewx.conf: install.sh edits the Pi&apos;s own file</source>
        <translation>Keine weewx.conf: install.sh bearbeitet die eigene Datei des Pi</translation>
    </message>
    <message>
        <source>weewx.conf copied from the Pi</source>
        <translation>weewx.conf, vom Pi kopiert</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>Auswählen…</translation>
    </message>
    <message>
        <source>The plain-text password file of the manual procedure (reference/passwords.txt; nothing installs it)</source>
        <translation>Die Klartext-Passwortdatei des manuellen Verfahrens (reference/passwords.txt; wird nirgends installiert)</translation>
    </message>
    <message>
        <source>&amp;Destination:</source>
        <translation>Zi&amp;el:</translation>
    </message>
    <message>
        <source>&amp;Write bundle</source>
        <translation>Paket &amp;schreiben</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>Exportieren</translation>
    </message>
    <message>
        <source>%1 exists. Replace it?</source>
        <translation>%1 existiert bereits. Ersetzen?</translation>
    </message>
    <message>
        <source>&amp;Open folder</source>
        <translation>&amp;Ordner öffnen</translation>
    </message>
    <message>
        <source>Files in the bundle</source>
        <translation>Dateien im Paket</translation>
    </message>
    <message>
        <source>File in the bundle</source>
        <translation>Datei im Paket</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>Größe</translation>
    </message>
    <message>
        <source>Mode</source>
        <translation>Modus</translation>
    </message>
    <message>
        <source>Read in the provisioning flow&apos;s review step.</source>
        <translation>Wird im Überprüfungsschritt der Einrichtung gelesen.</translation>
    </message>
    <message>
        <source>Zip archives (*.zip)</source>
        <translation>Zip-Archive (*.zip)</translation>
    </message>
    <message>
        <source>Compressed tar archives (*.tar.gz)</source>
        <translation>Komprimierte tar-Archive (*.tar.gz)</translation>
    </message>
    <message>
        <source>Export the bundle to</source>
        <translation>Paket exportieren nach</translation>
    </message>
    <message>
        <source>WeeWX configuration (*.conf);;All files (*)</source>
        <translation>WeeWX-Konfiguration (*.conf);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>holds a secret</source>
        <translation>enthält ein Geheimnis</translation>
    </message>
    <message>
        <source>A &amp;copy of weewx.conf on this laptop, fully edited:</source>
        <translation>Eine vollständig bearbeitete &amp;Kopie von weewx.conf auf diesem Laptop:</translation>
    </message>
    <message>
        <source>Fo&amp;rmat:</source>
        <translation>Fo&amp;rmat:</translation>
    </message>
</context>
<context>
    <name>wmw::HostFacts</name>
    <message>
        <source>The Pi&apos;s answer is not a HostFacts report (line 1 should start with &quot;#wmw-hostfacts&quot;).</source>
        <translation>Die Antwort des Pi ist kein HostFacts-Bericht (Zeile 1 sollte mit &quot;#wmw-hostfacts&quot; beginnen).</translation>
    </message>
    <message>
        <source>The HostFacts report has an unsupported format version (line 1).</source>
        <translation>Der HostFacts-Bericht hat eine nicht unterstützte Formatversion (Zeile 1).</translation>
    </message>
    <message>
        <source>Line %1: the block %2 has no end (&quot;.&quot;); the report was cut off.</source>
        <translation>Zeile %1: Der Block %2 hat kein Ende (&quot;.&quot;); der Bericht wurde abgeschnitten.</translation>
    </message>
    <message>
        <source>Line %1: the block %2 is not valid base64.</source>
        <translation>Zeile %1: Der Block %2 ist kein gültiges Base64.</translation>
    </message>
    <message>
        <source>Line %1: %2 appears twice.</source>
        <translation>Zeile %1: %2 kommt zweimal vor.</translation>
    </message>
    <message>
        <source>Line %1 of the HostFacts report is neither KEY=VALUE nor a block.</source>
        <translation>Zeile %1 des HostFacts-Berichts ist weder KEY=VALUE noch ein Block.</translation>
    </message>
    <message>
        <source>The HostFacts report ends without &quot;#end&quot;: the output was cut off.</source>
        <translation>Der HostFacts-Bericht endet ohne &quot;#end&quot;: Die Ausgabe wurde abgeschnitten.</translation>
    </message>
    <message>
        <source>The HostFacts value %1 is not a valid number.</source>
        <translation>Der HostFacts-Wert %1 ist keine gültige Zahl.</translation>
    </message>
    <message>
        <source>The HostFacts file entry %1 has no path.</source>
        <translation>Der HostFacts-Dateieintrag %1 hat keinen Pfad.</translation>
    </message>
</context>
<context>
    <name>wmw::HostKeyDialog</name>
    <message>
        <source>Unknown host key</source>
        <translation>Unbekannter Host-Schlüssel</translation>
    </message>
    <message>
        <source>This is the first connection to %1 from this laptop. Compare the key&apos;s fingerprint with the one the Pi shows for &quot;ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub&quot;. Accept only if they are the same: a different key means someone else answers in the Pi&apos;s name.</source>
        <translation>Dies ist die erste Verbindung zu %1 von diesem Laptop aus. Vergleichen Sie den Fingerabdruck des Schlüssels mit dem, den der Pi für &quot;ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub&quot; anzeigt. Nehmen Sie ihn nur an, wenn beide gleich sind: Ein anderer Schlüssel bedeutet, dass jemand anderes im Namen des Pi antwortet.</translation>
    </message>
    <message>
        <source>Key type:</source>
        <translation>Schlüsseltyp:</translation>
    </message>
    <message>
        <source>Fingerprint:</source>
        <translation>Fingerabdruck:</translation>
    </message>
    <message>
        <source>Saved in:</source>
        <translation>Gespeichert in:</translation>
    </message>
    <message>
        <source>&amp;Accept and remember</source>
        <translation>&amp;Annehmen und merken</translation>
    </message>
    <message>
        <source>&amp;Refuse</source>
        <translation>Ab&amp;lehnen</translation>
    </message>
</context>
<context>
    <name>wmw::LiveCheckPage</name>
    <message>
        <source>Live check</source>
        <translation>Live-Prüfung</translation>
    </message>
    <message>
        <source>This laptop connects the way the Belchertown page does, with the page&apos;s host, port, user and topic, and shows what a visitor would see.</source>
        <translation>Dieser Laptop verbindet sich so, wie es die Belchertown-Seite tut, mit Host, Port, Benutzer und Topic der Seite, und zeigt, was ein Besucher sehen würde.</translation>
    </message>
    <message>
        <source>Check &amp;again</source>
        <translation>&amp;Erneut prüfen</translation>
    </message>
    <message>
        <source>Connected to weather station live. Data received %1</source>
        <translation>Live mit der Wetterstation verbunden. Daten empfangen %1</translation>
    </message>
    <message>
        <source>Last data %1</source>
        <translation>Letzte Daten %1</translation>
    </message>
    <message>
        <source>&lt;b&gt;Failed at: %1&lt;/b&gt;&lt;br&gt;%2&lt;br&gt;&lt;br&gt;&lt;b&gt;Fix:&lt;/b&gt; %3</source>
        <translation>&lt;b&gt;Fehlgeschlagen bei: %1&lt;/b&gt;&lt;br&gt;%2&lt;br&gt;&lt;br&gt;&lt;b&gt;Abhilfe:&lt;/b&gt; %3</translation>
    </message>
    <message>
        <source>&amp;Stop</source>
        <translation>&amp;Stopp</translation>
    </message>
</context>
<context>
    <name>wmw::LiveMonitor</name>
    <message>
        <source>This laptop</source>
        <translation>Dieser Laptop</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>TCP port</source>
        <translation>TCP-Port</translation>
    </message>
    <message>
        <source>Websocket</source>
        <translation>Websocket</translation>
    </message>
    <message>
        <source>MQTT login</source>
        <translation>MQTT-Anmeldung</translation>
    </message>
    <message>
        <source>Subscription</source>
        <translation>Abonnement</translation>
    </message>
    <message>
        <source>Data</source>
        <translation>Daten</translation>
    </message>
    <message>
        <source>Broker</source>
        <translation>Broker</translation>
    </message>
    <message>
        <source>WeeWX</source>
        <translation>WeeWX</translation>
    </message>
    <message>
        <source>the settings</source>
        <translation>die Einstellungen</translation>
    </message>
    <message>
        <source>name lookup (DNS)</source>
        <translation>Namensauflösung (DNS)</translation>
    </message>
    <message>
        <source>TCP connection</source>
        <translation>TCP-Verbindung</translation>
    </message>
    <message>
        <source>TLS (wss://)</source>
        <translation>TLS (wss://)</translation>
    </message>
    <message>
        <source>websocket</source>
        <translation>Websocket</translation>
    </message>
    <message>
        <source>MQTT</source>
        <translation>MQTT</translation>
    </message>
    <message>
        <source>MQTT login and permissions</source>
        <translation>MQTT-Anmeldung und -Berechtigungen</translation>
    </message>
    <message>
        <source>publishing (WeeWX and weewx-mqtt)</source>
        <translation>Veröffentlichung (WeeWX und weewx-mqtt)</translation>
    </message>
    <message>
        <source>Temperature</source>
        <translation>Temperatur</translation>
    </message>
    <message>
        <source>Humidity</source>
        <translation>Luftfeuchtigkeit</translation>
    </message>
    <message>
        <source>Wind</source>
        <translation>Wind</translation>
    </message>
    <message>
        <source>Pressure</source>
        <translation>Luftdruck</translation>
    </message>
    <message>
        <source>Rain</source>
        <translation>Regen</translation>
    </message>
    <message>
        <source>from %1°, gusts %2</source>
        <translation>aus %1°, Böen %2</translation>
    </message>
    <message>
        <source>from %1°</source>
        <translation>aus %1°</translation>
    </message>
    <message>
        <source>gusts %1</source>
        <translation>Böen %1</translation>
    </message>
    <message>
        <source>rate %1</source>
        <translation>Intensität %1</translation>
    </message>
    <message>
        <source>today</source>
        <translation>heute</translation>
    </message>
    <message>
        <source>anonymous</source>
        <translation>anonym</translation>
    </message>
</context>
<context>
    <name>wmw::MainWizard</name>
    <message>
        <source>WeeWX MQTT Wizard</source>
        <translation>WeeWX-MQTT-Assistent</translation>
    </message>
    <message>
        <source>&amp;Profile</source>
        <translation>&amp;Profil</translation>
    </message>
    <message>
        <source>Profile</source>
        <translation>Profil</translation>
    </message>
    <message>
        <source>Save profile</source>
        <translation>Profil speichern</translation>
    </message>
    <message>
        <source>Station profiles (*.json)</source>
        <translation>Stationsprofile (*.json)</translation>
    </message>
    <message>
        <source>&amp;Open or import…</source>
        <translation>&amp;Öffnen oder importieren…</translation>
    </message>
    <message>
        <source>Open profile</source>
        <translation>Profil öffnen</translation>
    </message>
    <message>
        <source>Open &amp;recent</source>
        <translation>&amp;Zuletzt geöffnet</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>&amp;Speichern</translation>
    </message>
    <message>
        <source>Save &amp;as / export…</source>
        <translation>Speichern &amp;unter / exportieren…</translation>
    </message>
    <message>
        <source>Remember &amp;passwords in the system keychain</source>
        <translation>&amp;Passwörter im Schlüsselbund des Systems speichern</translation>
    </message>
    <message>
        <source>Otherwise passwords are asked for again in each session; they are never written into the profile file.</source>
        <translation>Sonst werden Passwörter in jeder Sitzung erneut abgefragt; sie werden nie in die Profildatei geschrieben.</translation>
    </message>
    <message>
        <source>Keychain</source>
        <translation>Schlüsselbund</translation>
    </message>
    <message>
        <source>The Pi is installing</source>
        <translation>Der Pi installiert</translation>
    </message>
    <message>
        <source>The Pi is installing the files now and cannot be stopped. It finishes, or puts every old file back, within a few minutes. The window can be closed once it has.</source>
        <translation>Der Pi installiert die Dateien gerade und kann nicht angehalten werden. Er wird innerhalb weniger Minuten fertig oder stellt alle alten Dateien wieder her. Danach kann das Fenster geschlossen werden.</translation>
    </message>
    <message>
        <source>Stop the apply?</source>
        <translation>Das Anwenden abbrechen?</translation>
    </message>
    <message>
        <source>The apply is still preparing: nothing on the Pi has been changed yet. Stop it and close the window?</source>
        <translation>Das Anwenden wird noch vorbereitet: Auf dem Pi wurde noch nichts geändert. Abbrechen und das Fenster schließen?</translation>
    </message>
</context>
<context>
    <name>wmw::PasswordField</name>
    <message>
        <source>Show</source>
        <translation>Anzeigen</translation>
    </message>
    <message>
        <source>Show or hide the password</source>
        <translation>Passwort anzeigen oder verbergen</translation>
    </message>
    <message>
        <source>Hide</source>
        <translation>Verbergen</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>Kopieren</translation>
    </message>
    <message>
        <source>Copy the password to the clipboard</source>
        <translation>Passwort in die Zwischenablage kopieren</translation>
    </message>
    <message>
        <source>New</source>
        <translation>Neu</translation>
    </message>
    <message>
        <source>Generate a new strong password</source>
        <translation>Ein neues starkes Passwort erzeugen</translation>
    </message>
    <message>
        <source>A line break at the end of the pasted password was removed.</source>
        <translation>Ein Zeilenumbruch am Ende des eingefügten Passworts wurde entfernt.</translation>
    </message>
</context>
<context>
    <name>wmw::PiConnectionPage</name>
    <message>
        <source>Raspberry Pi connection</source>
        <translation>Verbindung zum Raspberry Pi</translation>
    </message>
    <message>
        <source>How this laptop reaches the Pi over SSH. The wizard reads the Pi&apos;s setup first and changes nothing before you have seen the changes.</source>
        <translation>Wie dieser Laptop den Pi über SSH erreicht. Der Assistent liest zuerst die Einrichtung des Pi und ändert nichts, bevor Sie die Änderungen gesehen haben.</translation>
    </message>
    <message>
        <source>e.g. raspberrypi.local or 192.168.1.20</source>
        <translation>z. B. raspberrypi.local oder 192.168.1.20</translation>
    </message>
    <message>
        <source>→ %1</source>
        <translation>→ %1</translation>
    </message>
    <message>
        <source>%1 — an alias from ~/.ssh/config still works.</source>
        <translation>%1 — ein Alias aus ~/.ssh/config funktioniert trotzdem.</translation>
    </message>
    <message>
        <source>e.g. pi</source>
        <translation>z. B. pi</translation>
    </message>
    <message>
        <source>SSH &amp;agent or my default keys</source>
        <translation>SSH-&amp;Agent oder meine Standardschlüssel</translation>
    </message>
    <message>
        <source>&amp;Key file</source>
        <translation>Sch&amp;lüsseldatei</translation>
    </message>
    <message>
        <source>e.g. ~/.ssh/id_ed25519</source>
        <translation>z. B. ~/.ssh/id_ed25519</translation>
    </message>
    <message>
        <source>SSH private key</source>
        <translation>Privater SSH-Schlüssel</translation>
    </message>
    <message>
        <source>Sent to sudo on its standard input, never on a command line. Leave empty when sudo needs no password.</source>
        <translation>Wird an sudo über dessen Standardeingabe übergeben, nie auf einer Befehlszeile. Leer lassen, wenn sudo kein Passwort braucht.</translation>
    </message>
    <message>
        <source>&amp;Host:</source>
        <translation>&amp;Host:</translation>
    </message>
    <message>
        <source>SSH p&amp;ort:</source>
        <translation>SSH-P&amp;ort:</translation>
    </message>
    <message>
        <source>&amp;User:</source>
        <translation>&amp;Benutzer:</translation>
    </message>
    <message>
        <source>Log in with:</source>
        <translation>Anmelden mit:</translation>
    </message>
    <message>
        <source>&amp;sudo password:</source>
        <translation>&amp;sudo-Passwort:</translation>
    </message>
    <message>
        <source>&amp;Test connection</source>
        <translation>Verbindung &amp;testen</translation>
    </message>
    <message>
        <source>Key file: is required when logging in with a key file.</source>
        <translation>Schlüsseldatei: ist erforderlich, wenn Sie sich mit einer Schlüsseldatei anmelden.</translation>
    </message>
    <message>
        <source>Key file: %1 does not exist.</source>
        <translation>Schlüsseldatei: %1 existiert nicht.</translation>
    </message>
    <message>
        <source>&amp;Cancel test</source>
        <translation>Test abb&amp;rechen</translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation>Verbindung wird hergestellt…</translation>
    </message>
    <message>
        <source>Waiting for your decision about the host key…</source>
        <translation>Warten auf Ihre Entscheidung zum Host-Schlüssel…</translation>
    </message>
    <message>
        <source>Waiting for the password…</source>
        <translation>Warten auf das Passwort…</translation>
    </message>
    <message>
        <source>Logged in; reading the Pi&apos;s setup…</source>
        <translation>Angemeldet; die Einrichtung des Pi wird gelesen…</translation>
    </message>
    <message>
        <source>The connection failed: %1</source>
        <translation>Die Verbindung ist fehlgeschlagen: %1</translation>
    </message>
    <message>
        <source>Pass&amp;word</source>
        <translation>Pass&amp;wort</translation>
    </message>
    <message>
        <source>B&amp;rowse…</source>
        <translation>Du&amp;rchsuchen…</translation>
    </message>
</context>
<context>
    <name>wmw::ProfileStore</name>
    <message>
        <source>Cannot open the profile %1: %2</source>
        <translation>Das Profil %1 kann nicht geöffnet werden: %2</translation>
    </message>
    <message>
        <source>%1 is too large to be a profile.</source>
        <translation>%1 ist zu groß für ein Profil.</translation>
    </message>
    <message>
        <source>%1 is not a usable profile: %2</source>
        <translation>%1 ist kein verwendbares Profil: %2</translation>
    </message>
    <message>
        <source>Cannot write the profile %1: %2</source>
        <translation>Das Profil %1 kann nicht geschrieben werden: %2</translation>
    </message>
</context>
<context>
    <name>wmw::ProvisioningFlow</name>
    <message>
        <source>Read from the Pi. Nothing has been changed yet.</source>
        <translation>Vom Pi gelesen. Es wurde noch nichts geändert.</translation>
    </message>
    <message>
        <source>[%1 s] %2</source>
        <translation>[%1 s] %2</translation>
    </message>
    <message>
        <source>Installed, and the live data arrives. The old files are backed up on the Pi in %1/%2.</source>
        <translation>Installiert, und die Live-Daten kommen an. Die alten Dateien sind auf dem Pi in %1/%2 gesichert.</translation>
    </message>
    <message>
        <source>Not connected to the Pi: use &quot;Test connection&quot; on the Pi connection page first. The plan is made from the Pi&apos;s own files.</source>
        <translation>Nicht mit dem Pi verbunden: Verwenden Sie zuerst „Verbindung testen“ auf der Seite „Verbindung zum Raspberry Pi“. Der Plan wird aus den eigenen Dateien des Pi erstellt.</translation>
    </message>
    <message>
        <source>Reading the Pi&apos;s current files…</source>
        <translation>Die aktuellen Dateien des Pi werden gelesen…</translation>
    </message>
    <message>
        <source>Every file on the Pi is already as planned.</source>
        <translation>Alle Dateien auf dem Pi entsprechen bereits dem Plan.</translation>
    </message>
    <message>
        <source>Not connected to the Pi: use &quot;Test connection&quot; on the Pi connection page first.</source>
        <translation>Nicht mit dem Pi verbunden: Verwenden Sie zuerst „Verbindung testen“ auf der Seite „Verbindung zum Raspberry Pi“.</translation>
    </message>
    <message>
        <source>This session made no backup on the Pi, so there is nothing to undo.</source>
        <translation>Diese Sitzung hat auf dem Pi keine Sicherung angelegt, daher gibt es nichts rückgängig zu machen.</translation>
    </message>
    <message>
        <source>The backup was restored; the services run with the old files.</source>
        <translation>Die Sicherung wurde wiederhergestellt; die Dienste laufen mit den alten Dateien.</translation>
    </message>
    <message>
        <source>Every file was already as planned: nothing was changed, and the live data arrives.</source>
        <translation>Alle Dateien entsprachen bereits dem Plan: Es wurde nichts geändert, und die Live-Daten kommen an.</translation>
    </message>
</context>
<context>
    <name>wmw::ReviewPage</name>
    <message>
        <source>unchanged</source>
        <translation>unverändert</translation>
    </message>
    <message>
        <source>create</source>
        <translation>anlegen</translation>
    </message>
    <message>
        <source>update</source>
        <translation>aktualisieren</translation>
    </message>
    <message>
        <source>Review the changes</source>
        <translation>Änderungen prüfen</translation>
    </message>
    <message>
        <source>Read from the Pi; nothing has been changed yet. Passwords and password hashes are masked in every diff.</source>
        <translation>Vom Pi gelesen; es wurde noch nichts geändert. Passwörter und Passwort-Hashes werden in jedem Diff maskiert.</translation>
    </message>
    <message>
        <source>&amp;Apply on the Pi</source>
        <translation>Auf dem Pi &amp;anwenden</translation>
    </message>
    <message>
        <source>Install weewx-mqtt on the Pi first (weectl extension install; the Pi needs internet access)</source>
        <translation>weewx-mqtt zuerst auf dem Pi installieren (weectl extension install; der Pi braucht Internetzugang)</translation>
    </message>
    <message>
        <source>Change</source>
        <translation>Änderung</translation>
    </message>
    <message>
        <source>File on the Pi</source>
        <translation>Datei auf dem Pi</translation>
    </message>
    <message>
        <source>Owner</source>
        <translation>Eigentümer</translation>
    </message>
    <message>
        <source>Mode</source>
        <translation>Modus</translation>
    </message>
    <message>
        <source>Files to write</source>
        <translation>Zu schreibende Dateien</translation>
    </message>
    <message>
        <source>Diff of the selected file</source>
        <translation>Diff der ausgewählten Datei</translation>
    </message>
    <message>
        <source>Commands</source>
        <translation>Befehle</translation>
    </message>
    <message>
        <source>&amp;Read again</source>
        <translation>&amp;Erneut lesen</translation>
    </message>
    <message>
        <source>E&amp;xport bundle instead</source>
        <translation>Stattdessen Paket e&amp;xportieren</translation>
    </message>
    <message>
        <source>Write the same settings into a bundle that applies them without this program; nothing on the Pi is changed.</source>
        <translation>Dieselben Einstellungen in ein Paket schreiben, das sie ohne dieses Programm anwendet; auf dem Pi wird nichts geändert.</translation>
    </message>
    <message>
        <source>✗ The plan could not be made: %1</source>
        <translation>✗ Der Plan konnte nicht erstellt werden: %1</translation>
    </message>
    <message>
        <source>&lt;b&gt;weewx-mqtt is not installed on the Pi.&lt;/b&gt; Without it, weewx stops when it reads the new weewx.conf. Its installer adds an [[MQTT]] section to weewx.conf before the edit shown here.</source>
        <translation>&lt;b&gt;weewx-mqtt ist auf dem Pi nicht installiert.&lt;/b&gt; Ohne es beendet sich weewx, sobald es die neue weewx.conf liest. Sein Installationsprogramm fügt weewx.conf einen Abschnitt [[MQTT]] hinzu, bevor die hier gezeigte Bearbeitung erfolgt.</translation>
    </message>
    <message>
        <source>Without installing it, the apply refuses and changes nothing.</source>
        <translation>Ohne diese Installation wird das Anwenden verweigert und nichts geändert.</translation>
    </message>
    <message>
        <source>now %1</source>
        <translation>derzeit %1</translation>
    </message>
    <message>
        <source>Nothing to install and nothing to restart: the apply only checks that live data arrives.</source>
        <translation>Nichts zu installieren und nichts neu zu starten: Das Anwenden prüft nur, ob Live-Daten ankommen.</translation>
    </message>
    <message>
        <source>In one sudo run, after backing up every file it replaces into %1/&lt;time&gt; and checking that none changed since it was read, the Pi installs the files (write beside, then rename) and runs:</source>
        <translation>In einem einzigen sudo-Lauf sichert der Pi jede Datei, die er ersetzt, nach %1/&lt;Zeit&gt;, prüft, dass sich keine seit dem Lesen geändert hat, installiert die Dateien (daneben schreiben, dann umbenennen) und führt aus:</translation>
    </message>
    <message>
        <source>%1 is already as planned.</source>
        <translation>%1 entspricht bereits dem Plan.</translation>
    </message>
</context>
<context>
    <name>wmw::WeewxPage</name>
    <message>
        <source>WeeWX and the Belchertown page</source>
        <translation>WeeWX und die Belchertown-Seite</translation>
    </message>
    <message>
        <source>Where WeeWX publishes the readings, and where the visitors&apos; browsers connect to receive them. The page settings follow the broker unless you change them (for a router&apos;s port forward or a proxy).</source>
        <translation>Wohin WeeWX die Messwerte veröffentlicht und wohin sich die Browser der Besucher verbinden, um sie zu empfangen. Die Einstellungen der Seite folgen dem Broker, sofern Sie sie nicht ändern (für eine Portweiterleitung im Router oder einen Proxy).</translation>
    </message>
    <message>
        <source>archive, loop — the page needs the loop packets; aggregation = aggregate</source>
        <translation>archive, loop — die Seite braucht die Loop-Pakete; aggregation = aggregate</translation>
    </message>
    <message>
        <source>→ %1</source>
        <translation>→ %1</translation>
    </message>
    <message>
        <source>⚠ %1: &quot;%2&quot; %3. Visitors whose browsers cannot resolve it see &quot;Failed connecting&quot;.</source>
        <translation>⚠ %1: „%2“ %3. Besucher, deren Browser den Namen nicht auflösen können, sehen &quot;Failed connecting&quot;.</translation>
    </message>
    <message>
        <source>Page websocket host</source>
        <translation>Websocket-Host der Seite</translation>
    </message>
    <message>
        <source>wss:// (the listener or a proxy in front of it has a certificate)</source>
        <translation>wss:// (der Listener oder ein vorgeschalteter Proxy hat ein Zertifikat)</translation>
    </message>
    <message>
        <source> min</source>
        <translation> min</translation>
    </message>
    <message>
        <source>never</source>
        <translation>nie</translation>
    </message>
    <message>
        <source>WeeWX (weewx-mqtt, [StdRESTful] [[MQTT]])</source>
        <translation>WeeWX (weewx-mqtt, [StdRESTful] [[MQTT]])</translation>
    </message>
    <message>
        <source>weewxd runs on the Pi: &quot;localhost&quot; is the broker on the Pi.</source>
        <translation>weewxd läuft auf dem Pi: „localhost“ ist der Broker auf dem Pi.</translation>
    </message>
    <message>
        <source>&amp;Topic:</source>
        <translation>&amp;Topic:</translation>
    </message>
    <message>
        <source>server_url:</source>
        <translation>server_url:</translation>
    </message>
    <message>
        <source>Binding:</source>
        <translation>Binding:</translation>
    </message>
    <message>
        <source>Belchertown page (mqtt_websockets_*)</source>
        <translation>Belchertown-Seite (mqtt_websockets_*)</translation>
    </message>
    <message>
        <source>&amp;Websocket host:</source>
        <translation>Websocket-&amp;Host:</translation>
    </message>
    <message>
        <source>Websocket p&amp;ort:</source>
        <translation>Websocket-P&amp;ort:</translation>
    </message>
    <message>
        <source>TLS:</source>
        <translation>TLS:</translation>
    </message>
    <message>
        <source>&amp;Disconnect idle visitors after:</source>
        <translation>&amp;Inaktive Besucher trennen nach:</translation>
    </message>
    <message>
        <source>the name visitors use for the Pi</source>
        <translation>der Name, den Besucher für den Pi verwenden</translation>
    </message>
    <message>
        <source>%1 (the Pi)</source>
        <translation>%1 (der Pi)</translation>
    </message>
    <message>
        <source>%1 (the broker&apos;s websockets port)</source>
        <translation>%1 (der Websocket-Port des Brokers)</translation>
    </message>
    <message>
        <source>%1 (what WeeWX publishes)</source>
        <translation>%1 (was WeeWX veröffentlicht)</translation>
    </message>
    <message>
        <source>Broker &amp;host in server_url:</source>
        <translation>Broker-&amp;Host in server_url:</translation>
    </message>
    <message>
        <source>Page top&amp;ic:</source>
        <translation>Top&amp;ic der Seite:</translation>
    </message>
</context>
<context>
    <name>wmw::WelcomePage</name>
    <message>
        <source>Welcome</source>
        <translation>Willkommen</translation>
    </message>
    <message>
        <source>Live updates for the Belchertown page of your WeeWX station, over MQTT websockets. What would you like to do?</source>
        <translation>Live-Aktualisierung für die Belchertown-Seite Ihrer WeeWX-Station über MQTT-Websockets. Was möchten Sie tun?</translation>
    </message>
    <message>
        <source>&amp;Set up live updates on a Raspberry Pi</source>
        <translation>Live-Aktualisierung auf einem Raspberry Pi &amp;einrichten</translation>
    </message>
    <message>
        <source>&amp;Diagnose a live page that does not work</source>
        <translation>Eine nicht funktionierende Live-Seite &amp;untersuchen</translation>
    </message>
    <message>
        <source>&amp;Export a config bundle to apply without this program</source>
        <translation>Ein Konfigurationspaket &amp;exportieren, das ohne dieses Programm angewendet wird</translation>
    </message>
    <message>
        <source>Writes the mosquitto users, access list and websockets listener, and the WeeWX and Belchertown settings, over SSH, with a diff to review first, backups and a check that the page receives data.</source>
        <translation>Schreibt über SSH die mosquitto-Benutzer, die Zugriffsliste und den Websocket-Listener sowie die Einstellungen von WeeWX und Belchertown – mit einem Vergleich zur Prüfung vorab, Sicherungskopien und einer Kontrolle, dass die Seite Daten empfängt.</translation>
    </message>
    <message>
        <source>The page says &quot;Failed connecting&quot; or waits for data forever: finds out which part fails and why, with the evidence and the fix.</source>
        <translation>Die Seite meldet „Failed connecting“ oder wartet endlos auf Daten: findet heraus, welcher Teil versagt und warum, mit Beleg und Abhilfe.</translation>
    </message>
    <message>
        <source>Writes the same files into an archive with an install script, to apply by hand or with Ansible.</source>
        <translation>Schreibt dieselben Dateien mit einem Installationsskript in ein Archiv, zum Anwenden von Hand oder mit Ansible.</translation>
    </message>
    <message>
        <source>Double-click to open a saved profile</source>
        <translation>Doppelklicken, um ein gespeichertes Profil zu öffnen</translation>
    </message>
    <message>
        <source>Profile</source>
        <translation>Profil</translation>
    </message>
    <message>
        <source>&amp;Recent profiles:</source>
        <translation>Zuletzt &amp;verwendete Profile:</translation>
    </message>
    <message>
        <source>(none yet: profiles you save appear here)</source>
        <translation>(noch keine: Profile, die Sie speichern, erscheinen hier)</translation>
    </message>
</context>
<context>
    <name>wmw::WizardController</name>
    <message>
        <source>does not resolve from this laptop (%1)</source>
        <translation>lässt sich von diesem Laptop aus nicht auflösen (%1)</translation>
    </message>
    <message>
        <source>The password could not be saved in the keychain: %1</source>
        <translation>Das Passwort konnte nicht im Schlüsselbund gespeichert werden: %1</translation>
    </message>
    <message>
        <source>The keychain could not be read: %1</source>
        <translation>Der Schlüsselbund konnte nicht gelesen werden: %1</translation>
    </message>
    <message>
        <source>The fix names an unknown profile field &quot;%1&quot;.</source>
        <translation>Die Abhilfe nennt ein unbekanntes Profilfeld „%1“.</translation>
    </message>
</context>
<context>
    <name>wmw::config::AclFile</name>
    <message>
        <source>Line %1: %2</source>
        <translation>Zeile %1: %2</translation>
    </message>
    <message>
        <source>contains a NUL byte.</source>
        <translation>enthält ein NUL-Byte.</translation>
    </message>
    <message>
        <source>mosquitto refuses an empty topic.</source>
        <translation>mosquitto lehnt ein leeres Topic ab.</translation>
    </message>
    <message>
        <source>mosquitto refuses the access type &quot;%1&quot; (use read, write, readwrite or deny).</source>
        <translation>mosquitto lehnt den Zugriffstyp „%1“ ab (verwenden Sie read, write, readwrite oder deny).</translation>
    </message>
    <message>
        <source>mosquitto refuses the topic &quot;%1&quot;: &apos;+&apos; and &apos;#&apos; must fill a whole level, &apos;#&apos; only the last one (a comment after a topic becomes part of it).</source>
        <translation>mosquitto lehnt das Topic „%1“ ab: &apos;+&apos; und &apos;#&apos; müssen eine ganze Ebene füllen, &apos;#&apos; nur die letzte (ein Kommentar nach einem Topic wird Teil davon).</translation>
    </message>
    <message>
        <source>mosquitto refuses a &quot;user&quot; line without a name.</source>
        <translation>mosquitto lehnt eine &quot;user&quot;-Zeile ohne Namen ab.</translation>
    </message>
    <message>
        <source>the file starts with a byte order mark, which mosquitto reads as part of the first word. Save it without one.</source>
        <translation>Die Datei beginnt mit einer Byte-Order-Mark (BOM), die mosquitto als Teil des ersten Worts liest. Speichern Sie sie ohne BOM.</translation>
    </message>
    <message>
        <source>mosquitto refuses this line: it must start with topic, pattern or user, words are separated by spaces (not tabs), and a comment needs &apos;#&apos; in the first column.</source>
        <translation>mosquitto lehnt diese Zeile ab: Sie muss mit topic, pattern oder user beginnen, Wörter werden durch Leerzeichen getrennt (nicht durch Tabulatoren), und ein Kommentar braucht &apos;#&apos; in der ersten Spalte.</translation>
    </message>
</context>
<context>
    <name>wmw::config::Bundle</name>
    <message>
        <source>The given weewx.conf cannot be edited: %1</source>
        <translation>Die angegebene weewx.conf kann nicht bearbeitet werden: %1</translation>
    </message>
    <message>
        <source>Plain-text passwords of the MQTT users, for reference only. Keep this file private; install.sh does not install it.</source>
        <translation>Klartext-Passwörter der MQTT-Benutzer, nur zum Nachschlagen. Halten Sie diese Datei geheim; install.sh installiert sie nicht.</translation>
    </message>
</context>
<context>
    <name>wmw::config::BundleReadme</name>
    <message>
        <source>WeeWX MQTT Wizard bundle for the station at %1
</source>
        <translation>Paket des WeeWX-MQTT-Assistenten für die Station auf %1
</translation>
    </message>
    <message>
        <source>
This folder applies live MQTT updates for the Belchertown page without the wizard:
by install.sh, by Ansible (ansible/playbook.yml), or by hand with the steps below.
It holds password hashes and, in weewx/, the passwords weewx-mqtt and the page
need: keep it private (the folder is readable by its owner only).
</source>
        <translation>
Dieser Ordner richtet MQTT-Live-Aktualisierungen für die Belchertown-Seite ohne den Assistenten ein:
mit install.sh, mit Ansible (ansible/playbook.yml) oder von Hand mit den Schritten unten.
Er enthält Passwort-Hashes und in weewx/ die Passwörter, die weewx-mqtt und die Seite
brauchen: Halten Sie ihn geheim (der Ordner ist nur für seinen Eigentümer lesbar).
</translation>
    </message>
    <message>
        <source>Quick start</source>
        <translation>Schnellstart</translation>
    </message>
    <message>
        <source>Copy the folder to the Pi (scp -r), then on the Pi:
  cd %1 &amp;&amp; sudo sh install.sh --dry-run   # shows what would change
  sudo sh install.sh
install.sh checks the bundle against MANIFEST.sha256, saves every file it replaces
in %2/&lt;time&gt;/, installs the files with their owner and mode, restarts mosquitto
and weewx only when a file they read changed, checks that mosquitto listens on
ports %3 and %4, and puts the old files back if anything fails. Running it again
changes nothing.
</source>
        <translation>Kopieren Sie den Ordner auf den Pi (scp -r), dann auf dem Pi:
  cd %1 &amp;&amp; sudo sh install.sh --dry-run   # zeigt, was sich ändern würde
  sudo sh install.sh
install.sh prüft das Paket anhand von MANIFEST.sha256, sichert jede Datei, die es ersetzt,
in %2/&lt;Zeit&gt;/, installiert die Dateien mit Eigentümer und Modus, startet mosquitto
und weewx nur dann neu, wenn sich eine Datei geändert hat, die sie lesen, prüft, dass
mosquitto auf den Ports %3 und %4 lauscht, und legt die alten Dateien zurück, falls etwas
fehlschlägt. Ein erneuter Aufruf ändert nichts.
</translation>
    </message>
    <message>
        <source>With Ansible, from this folder on your computer:
  cp ansible/inventory.ini.example ansible/inventory.ini
  ansible-playbook -i ansible/inventory.ini ansible/playbook.yml --ask-become-pass
</source>
        <translation>Mit Ansible, aus diesem Ordner auf Ihrem Computer:
  cp ansible/inventory.ini.example ansible/inventory.ini
  ansible-playbook -i ansible/inventory.ini ansible/playbook.yml --ask-become-pass
</translation>
    </message>
    <message>
        <source>The same by hand, in the order of the manual procedure</source>
        <translation>Dasselbe von Hand, in der Reihenfolge des manuellen Verfahrens</translation>
    </message>
    <message>
        <source>1. Locale. Run `locale`; every line must name a locale the Pi has generated
   (Raspberry Pi OS: en_GB.UTF-8). Otherwise: sudo raspi-config, Localisation.
</source>
        <translation>1. Locale. Führen Sie `locale` aus; jede Zeile muss eine Locale nennen, die der Pi erzeugt hat
   (Raspberry Pi OS: en_GB.UTF-8). Sonst: sudo raspi-config, Localisation.
</translation>
    </message>
    <message>
        <source>   Traps of the manual procedure this avoids:
   - acl_file and password_file in %1 name exactly these files (the procedure
     points acl_file at a file it never created, and mosquitto does not start).
   - The password file is already hashed. Never run mosquitto_passwd -U on it: a
     hash hashed again silently locks every user out.
   - allow_anonymous is stated explicitly; the web page user may only read %2,
     because its password is readable by every visitor of the page.
   - No plain-text password file stays on the Pi.
   - Keep backups outside %3: mosquitto reads every *.conf file there, and a
     second password_file line stops it.
</source>
        <translation>   Fallen des manuellen Verfahrens, die hiermit vermieden werden:
   - acl_file und password_file in %1 nennen genau diese Dateien (das Verfahren lässt
     acl_file auf eine Datei verweisen, die es nie anlegt, und mosquitto startet nicht).
   - Die Passwortdatei ist bereits gehasht. Führen Sie nie mosquitto_passwd -U darauf aus:
     Ein erneut gehashter Hash sperrt stillschweigend alle Benutzer aus.
   - allow_anonymous ist ausdrücklich angegeben; der Webseiten-Benutzer darf nur %2 lesen,
     weil jeder Besucher der Seite sein Passwort lesen kann.
   - Auf dem Pi bleibt keine Passwortdatei im Klartext zurück.
   - Bewahren Sie Sicherungen außerhalb von %3 auf: mosquitto liest dort jede *.conf-Datei,
     und eine zweite password_file-Zeile verhindert seinen Start.
</translation>
    </message>
    <message>
        <source>3. Permissions. `ls -l` must show the owners and modes above: mosquitto reads the
   acl and password files after dropping to user mosquitto. Ignore the warning of
   newer mosquitto_passwd versions that the owner is not root.
</source>
        <translation>3. Berechtigungen. `ls -l` muss die obigen Eigentümer und Modi zeigen: mosquitto liest die
   ACL- und Passwortdatei, nachdem es zum Benutzer mosquitto gewechselt hat. Ignorieren Sie
   die Warnung neuerer mosquitto_passwd-Versionen, dass der Eigentümer nicht root ist.
</translation>
    </message>
    <message>
        <source>4. Restart and test the broker:
     sudo systemctl restart mosquitto
     sudo journalctl -u mosquitto -n 20; sudo tail /var/log/mosquitto/mosquitto.log
   Errors in the configuration show only in journalctl. Test that an anonymous
   publish is refused and that the publishing user may publish:
     mosquitto_pub -h localhost -p %1 -t %2/test -m 1            (refused)
     mosquitto_pub -h localhost -p %1 -t %2/test -m 1 -u %3 -P &apos;...&apos;
</source>
        <translation>4. Starten Sie den Broker neu und testen Sie ihn:
     sudo systemctl restart mosquitto
     sudo journalctl -u mosquitto -n 20; sudo tail /var/log/mosquitto/mosquitto.log
   Fehler in der Konfiguration erscheinen nur in journalctl. Testen Sie, dass anonymes
   Veröffentlichen abgelehnt wird und der veröffentlichende Benutzer veröffentlichen darf:
     mosquitto_pub -h localhost -p %1 -t %2/test -m 1            (abgelehnt)
     mosquitto_pub -h localhost -p %1 -t %2/test -m 1 -u %3 -P &apos;...&apos;
</translation>
    </message>
    <message>
        <source>5. weewx-mqtt. If `weectl extension list` does not show mqtt, install it (the Pi
   needs the internet; install.sh --install-extension does the same):
     sudo weectl extension install %1
   Use Debian&apos;s python3-paho-mqtt (1.6): weewx-mqtt 0.24 publishes nothing with
   paho-mqtt 2.
</source>
        <translation>5. weewx-mqtt. Wenn `weectl extension list` kein mqtt zeigt, installieren Sie es (der Pi
   braucht Internetzugang; install.sh --install-extension tut dasselbe):
     sudo weectl extension install %1
   Verwenden Sie Debians python3-paho-mqtt (1.6): weewx-mqtt 0.24 veröffentlicht mit
   paho-mqtt 2 nichts.
</translation>
    </message>
    <message>
        <source>6. weewx.conf. Run the edit with the Pi&apos;s python3 (it makes a backup beside the
   file, as weectl does, and changes nothing when the values are already set):
     sudo /usr/bin/python3 weewx/edit-weewx-conf.py --config %1
   It sets [StdRESTful] [[MQTT]] (server_url with its port, topic %2, binding
   archive and loop, aggregation aggregate) and the Belchertown extras
   (mqtt_websockets_host %3, port %4: the websockets listener, not the MQTT
   port; topic %5).
</source>
        <translation>6. weewx.conf. Führen Sie das Bearbeitungsskript mit dem python3 des Pi aus (es legt wie weectl
   eine Sicherung neben der Datei an und ändert nichts, wenn die Werte schon gesetzt sind):
     sudo /usr/bin/python3 weewx/edit-weewx-conf.py --config %1
   Es setzt [StdRESTful] [[MQTT]] (server_url mit Port, topic %2, binding
   archive und loop, aggregation aggregate) und die Belchertown-Extras
   (mqtt_websockets_host %3, Port %4: der Websocket-Listener, nicht der
   MQTT-Port; topic %5).
</translation>
    </message>
    <message>
        <source>   weewx/weewx.conf is the file you gave with these edits made. Copy it over
   %1 (owner weewx:weewx, mode 0660 on WeeWX 5) only if the Pi&apos;s file has not
   changed since; the edit above works on whatever the Pi has.
</source>
        <translation>   weewx/weewx.conf ist die von Ihnen angegebene Datei mit diesen Änderungen. Kopieren Sie sie
   nur dann über %1 (Eigentümer weewx:weewx, Modus 0660 bei WeeWX 5), wenn sich die Datei
   des Pi seitdem nicht geändert hat; die Bearbeitung oben funktioniert mit jedem Stand des Pi.
</translation>
    </message>
    <message>
        <source>7. Restart WeeWX and check:
     sudo systemctl restart weewx; sleep 5; systemctl is-active weewx
     sudo journalctl -u weewx -n 40
   &quot;Published record&quot; in the log proves nothing: weewx-mqtt writes it even when
   the broker refused the publish. Only a message on %1 proves it, e.g.
     weewx-mqtt-wizard live-check ws://%2:%3/mqtt --topic %1 --user %4 --password-stdin
</source>
        <translation>7. Starten Sie WeeWX neu und prüfen Sie:
     sudo systemctl restart weewx; sleep 5; systemctl is-active weewx
     sudo journalctl -u weewx -n 40
   &quot;Published record&quot; im Log beweist nichts: weewx-mqtt schreibt es auch dann, wenn
   der Broker das Veröffentlichen abgelehnt hat. Nur eine Nachricht auf %1 beweist es, z. B.
     weewx-mqtt-wizard live-check ws://%2:%3/mqtt --topic %1 --user %4 --password-stdin
</translation>
    </message>
    <message>
        <source>8. Try it. The page keeps the settings of its last report run: run
   `sudo weectl report run` (or wait one archive interval), then open the
   Belchertown page. &quot;Connecting&quot; turns into live readings within seconds.
</source>
        <translation>8. Ausprobieren. Die Seite behält die Einstellungen ihres letzten Berichtslaufs: Führen Sie
   `sudo weectl report run` aus (oder warten Sie ein Archivintervall ab), öffnen Sie dann die
   Belchertown-Seite. Aus &quot;Connecting&quot; werden innerhalb von Sekunden Live-Messwerte.
</translation>
    </message>
    <message>
        <source>Files</source>
        <translation>Dateien</translation>
    </message>
    <message>
        <source>MANIFEST.sha256 lists every file with its SHA-256 (sha256sum -c MANIFEST.sha256).
weewx/edit-weewx-conf.py and ansible/ hold the same settings as install.sh.
</source>
        <translation>MANIFEST.sha256 listet jede Datei mit ihrer SHA-256-Prüfsumme auf (sha256sum -c MANIFEST.sha256).
weewx/edit-weewx-conf.py und ansible/ enthalten dieselben Einstellungen wie install.sh.
</translation>
    </message>
    <message>
        <source>reference/passwords.txt holds the plain-text passwords, for your records only;
nothing installs it. Delete it, or store it somewhere safe.
</source>
        <translation>reference/passwords.txt enthält die Klartext-Passwörter, nur für Ihre Unterlagen;
sie wird nirgends installiert. Löschen Sie sie oder bewahren Sie sie sicher auf.
</translation>
    </message>
    <message>
        <source>2. Access control. The three mosquitto files in files/ go to the same paths on
   the Pi (as root), with this owner and mode:
</source>
        <translation>2. Zugriffskontrolle. Die drei mosquitto-Dateien aus files/ gehören an dieselben
   Pfade auf dem Pi (als root), mit diesem Eigentümer und Modus:
</translation>
    </message>
    <message>
        <source>   The acl and password files of the bundle hold only our MQTT users: do not copy
   them over the Pi&apos;s files, or every other MQTT user loses access. Merge them;
   every other user, comment and pattern line stays (run it again: no change):
</source>
        <translation>   Die ACL- und Passwortdatei des Pakets enthalten nur unsere MQTT-Benutzer: Kopieren
   Sie sie nicht über die Dateien des Pi, sonst verlieren alle anderen MQTT-Benutzer den
   Zugang. Führen Sie sie zusammen; alle anderen Benutzer, Kommentare und pattern-Zeilen
   bleiben (ein zweiter Lauf ändert nichts):
</translation>
    </message>
</context>
<context>
    <name>wmw::config::FileSet</name>
    <message>
        <source>The file path %1 is not an absolute path.</source>
        <translation>Der Dateipfad %1 ist kein absoluter Pfad.</translation>
    </message>
    <message>
        <source>The file %1 is generated twice.</source>
        <translation>Die Datei %1 wird doppelt erzeugt.</translation>
    </message>
    <message>
        <source>The mode of %1 is not a file mode.</source>
        <translation>Der Modus von %1 ist kein Dateimodus.</translation>
    </message>
</context>
<context>
    <name>wmw::config::Generate</name>
    <message>
        <source>The acl file %1 on the Pi cannot be merged: %2</source>
        <translation>Die ACL-Datei %1 auf dem Pi kann nicht zusammengeführt werden: %2</translation>
    </message>
    <message>
        <source>The password file %1 on the Pi cannot be merged: %2</source>
        <translation>Die Passwortdatei %1 auf dem Pi kann nicht zusammengeführt werden: %2</translation>
    </message>
    <message>
        <source>%1 does not exist on the Pi: is WeeWX installed, and is this its configuration file?</source>
        <translation>%1 existiert auf dem Pi nicht: Ist WeeWX installiert, und ist dies seine Konfigurationsdatei?</translation>
    </message>
    <message>
        <source>%1 on the Pi cannot be read: %2</source>
        <translation>%1 auf dem Pi kann nicht gelesen werden: %2</translation>
    </message>
    <message>
        <source>%1 cannot be edited: %2</source>
        <translation>%1 kann nicht bearbeitet werden: %2</translation>
    </message>
</context>
<context>
    <name>wmw::config::LiveUpdateEdit</name>
    <message>
        <source>The broker host for weewx-mqtt (server_url) must be a host name or an IP address.</source>
        <translation>Der Broker-Host für weewx-mqtt (server_url) muss ein Hostname oder eine IP-Adresse sein.</translation>
    </message>
    <message>
        <source>The broker port for weewx-mqtt (server_url) must be between 1 and 65535.</source>
        <translation>Der Broker-Port für weewx-mqtt (server_url) muss zwischen 1 und 65535 liegen.</translation>
    </message>
    <message>
        <source>The publishing user name cannot be put into server_url: it contains a space, a control character or one of : @ / ? # [ ].</source>
        <translation>Der Name des veröffentlichenden Benutzers kann nicht in server_url eingesetzt werden: Er enthält ein Leerzeichen, ein Steuerzeichen oder eines der Zeichen : @ / ? # [ ].</translation>
    </message>
    <message>
        <source>The publishing user&apos;s password cannot be put into server_url, which weewx-mqtt reads without decoding: it contains a space, a control character or one of / ? # [ ].</source>
        <translation>Das Passwort des veröffentlichenden Benutzers kann nicht in server_url eingesetzt werden, das weewx-mqtt ohne Dekodierung liest: Es enthält ein Leerzeichen, ein Steuerzeichen oder eines der Zeichen / ? # [ ].</translation>
    </message>
    <message>
        <source>A publishing password needs a publishing user name.</source>
        <translation>Zum Passwort des veröffentlichenden Benutzers fehlt dessen Benutzername.</translation>
    </message>
    <message>
        <source>The MQTT topic must be a topic name without wildcards or spaces.</source>
        <translation>Das MQTT-Topic muss ein Topic-Name ohne Platzhalter oder Leerzeichen sein.</translation>
    </message>
    <message>
        <source>The host the Belchertown page connects to (mqtt_websockets_host) must be a host name or address the visitor&apos;s browser can reach, without ws://.</source>
        <translation>Der Host, mit dem sich die Belchertown-Seite verbindet (mqtt_websockets_host), muss ein Hostname oder eine Adresse sein, die der Browser des Besuchers erreichen kann, ohne ws://.</translation>
    </message>
    <message>
        <source>The websocket port of the Belchertown page (mqtt_websockets_port) must be between 1 and 65535.</source>
        <translation>Der Websocket-Port der Belchertown-Seite (mqtt_websockets_port) muss zwischen 1 und 65535 liegen.</translation>
    </message>
    <message>
        <source>The Belchertown page sends a user name only together with a password: give both (mqtt_websockets_username and _password) or neither.</source>
        <translation>Die Belchertown-Seite sendet einen Benutzernamen nur zusammen mit einem Passwort: Geben Sie beides an (mqtt_websockets_username und _password) oder keins von beiden.</translation>
    </message>
    <message>
        <source>The page user name and password (mqtt_websockets_username and _password) cannot contain quotes, backslashes, spaces or control characters: the skin pastes them into the page&apos;s JavaScript.</source>
        <translation>Benutzername und Passwort der Seite (mqtt_websockets_username und _password) dürfen keine Anführungszeichen, Backslashes, Leerzeichen oder Steuerzeichen enthalten: Der Skin fügt sie in das JavaScript der Seite ein.</translation>
    </message>
    <message>
        <source>The visitor disconnect time (disconnect_live_website_visitor) cannot be negative.</source>
        <translation>Die Trennzeit für Besucher (disconnect_live_website_visitor) darf nicht negativ sein.</translation>
    </message>
    <message>
        <source>weewx.conf has no [Engine] [[Services]] section; it does not look like a WeeWX configuration.</source>
        <translation>weewx.conf hat keinen Abschnitt [Engine] [[Services]]; sie sieht nicht nach einer WeeWX-Konfiguration aus.</translation>
    </message>
    <message>
        <source>weewx.conf had no [StdReport] [[Belchertown]] report; it was added. Install the Belchertown skin too, or WeeWX cannot generate that report.</source>
        <translation>weewx.conf hatte keinen Bericht [StdReport] [[Belchertown]]; er wurde hinzugefügt. Installieren Sie auch den Belchertown-Skin, sonst kann WeeWX diesen Bericht nicht erzeugen.</translation>
    </message>
</context>
<context>
    <name>wmw::config::PasswordFile</name>
    <message>
        <source>An MQTT user name is empty or contains &apos;:&apos;, spaces or control characters; it cannot go into a password file.</source>
        <translation>Ein MQTT-Benutzername ist leer oder enthält &apos;:&apos;, Leerzeichen oder Steuerzeichen; er kann nicht in eine Passwortdatei eingetragen werden.</translation>
    </message>
    <message>
        <source>The password of MQTT user &quot;%1&quot; is empty or contains line breaks or control characters.</source>
        <translation>Das Passwort des MQTT-Benutzers „%1“ ist leer oder enthält Zeilenumbrüche oder Steuerzeichen.</translation>
    </message>
    <message>
        <source>The MQTT user &quot;%1&quot; is given twice.</source>
        <translation>Der MQTT-Benutzer „%1“ ist doppelt angegeben.</translation>
    </message>
    <message>
        <source>Line %1: the password of user &quot;%2&quot; is not hashed; mosquitto 2.0 ignores this user.</source>
        <translation>Zeile %1: Das Passwort des Benutzers „%2“ ist nicht gehasht; mosquitto 2.0 ignoriert diesen Benutzer.</translation>
    </message>
    <message>
        <source>The random source gave no salt of %1 bytes.</source>
        <translation>Die Zufallsquelle lieferte kein Salt von %1 Bytes.</translation>
    </message>
</context>
<context>
    <name>wmw::config::Plan</name>
    <message>
        <source>unchanged %1</source>
        <translation>%1 unverändert</translation>
    </message>
    <message>
        <source>create %1 (%2, mode %3)</source>
        <translation>%1 anlegen (%2, Modus %3)</translation>
    </message>
    <message>
        <source>content</source>
        <translation>Inhalt</translation>
    </message>
    <message>
        <source>owner %1 -&gt; %2</source>
        <translation>Eigentümer %1 -&gt; %2</translation>
    </message>
    <message>
        <source>mode %1 -&gt; %2</source>
        <translation>Modus %1 -&gt; %2</translation>
    </message>
    <message>
        <source>update %1 (%2)</source>
        <translation>%1 aktualisieren (%2)</translation>
    </message>
</context>
<context>
    <name>wmw::config::ProfileJson</name>
    <message>
        <source>The profile is not valid JSON: %1 at byte %2.</source>
        <translation>Das Profil ist kein gültiges JSON: %1 bei Byte %2.</translation>
    </message>
    <message>
        <source>The profile is not a JSON object.</source>
        <translation>Das Profil ist kein JSON-Objekt.</translation>
    </message>
    <message>
        <source>This is not a WeeWX MQTT Wizard profile (the key &quot;format&quot; must be &quot;%1&quot;).</source>
        <translation>Dies ist kein Profil des WeeWX-MQTT-Assistenten (der Schlüssel &quot;format&quot; muss &quot;%1&quot; sein).</translation>
    </message>
    <message>
        <source>The profile has no valid &quot;version&quot; (a whole number from 1).</source>
        <translation>Das Profil hat keine gültige &quot;version&quot; (eine ganze Zahl ab 1).</translation>
    </message>
    <message>
        <source>The profile has version %1, but this program reads only up to version %2. Update the program to open it.</source>
        <translation>Das Profil hat Version %1, dieses Programm liest aber nur bis Version %2. Aktualisieren Sie das Programm, um es zu öffnen.</translation>
    </message>
    <message>
        <source>The profile contains &quot;%1&quot;: profiles never hold passwords or hashes. Remove the key and enter the password in the program.</source>
        <translation>Das Profil enthält &quot;%1&quot;: Profile enthalten nie Passwörter oder Hashes. Entfernen Sie den Schlüssel und geben Sie das Passwort im Programm ein.</translation>
    </message>
    <message>
        <source>Unknown key &quot;%1&quot; in the profile.</source>
        <translation>Unbekannter Schlüssel &quot;%1&quot; im Profil.</translation>
    </message>
    <message>
        <source>&quot;%1&quot; in the profile must be an object.</source>
        <translation>&quot;%1&quot; im Profil muss ein Objekt sein.</translation>
    </message>
    <message>
        <source>a string</source>
        <translation>eine Zeichenkette</translation>
    </message>
    <message>
        <source>a whole number from 0 to %1</source>
        <translation>eine ganze Zahl von 0 bis %1</translation>
    </message>
    <message>
        <source>true or false</source>
        <translation>true oder false</translation>
    </message>
    <message>
        <source>a list of strings</source>
        <translation>eine Liste von Zeichenketten</translation>
    </message>
    <message>
        <source>&quot;%1&quot; in the profile must be &quot;deny&quot; or &quot;read-loop&quot;, not &quot;%2&quot;.</source>
        <translation>&quot;%1&quot; im Profil muss &quot;deny&quot; oder &quot;read-loop&quot; sein, nicht &quot;%2&quot;.</translation>
    </message>
    <message>
        <source>&quot;deny&quot; or &quot;read-loop&quot;</source>
        <translation>&quot;deny&quot; oder &quot;read-loop&quot;</translation>
    </message>
    <message>
        <source>&quot;%1&quot; in the profile must be %2.</source>
        <translation>&quot;%1&quot; im Profil muss %2 sein.</translation>
    </message>
</context>
<context>
    <name>wmw::config::Validation</name>
    <message>
        <source>%1: is required.</source>
        <translation>%1: ist erforderlich.</translation>
    </message>
    <message>
        <source>%1: is longer than 253 characters.</source>
        <translation>%1: ist länger als 253 Zeichen.</translation>
    </message>
    <message>
        <source>%1: must not contain spaces, line breaks or control characters.</source>
        <translation>%1: darf keine Leerzeichen, Zeilenumbrüche oder Steuerzeichen enthalten.</translation>
    </message>
    <message>
        <source>%1: must be plain ASCII; write an international domain name in its xn-- form.</source>
        <translation>%1: darf nur reines ASCII enthalten; schreiben Sie einen internationalen Domainnamen in seiner xn--Form.</translation>
    </message>
    <message>
        <source>%1: must be a host name or an IP address alone, not a URL.</source>
        <translation>%1: muss allein ein Hostname oder eine IP-Adresse sein, keine URL.</translation>
    </message>
    <message>
        <source>%1: is not a valid IPv6 address.</source>
        <translation>%1: ist keine gültige IPv6-Adresse.</translation>
    </message>
    <message>
        <source>%1: is not a valid IPv4 address (four numbers from 0 to 255, separated by dots).</source>
        <translation>%1: ist keine gültige IPv4-Adresse (vier Zahlen von 0 bis 255, durch Punkte getrennt).</translation>
    </message>
    <message>
        <source>%1: must be a host name (letters A-Z, digits, &apos;-&apos; and &apos;.&apos;) or an IP address.</source>
        <translation>%1: muss ein Hostname (Buchstaben A-Z, Ziffern, &apos;-&apos; und &apos;.&apos;) oder eine IP-Adresse sein.</translation>
    </message>
    <message>
        <source>%1: has an empty part between dots.</source>
        <translation>%1: hat einen leeren Teil zwischen Punkten.</translation>
    </message>
    <message>
        <source>%1: has a part longer than 63 characters.</source>
        <translation>%1: hat einen Teil, der länger als 63 Zeichen ist.</translation>
    </message>
    <message>
        <source>%1: a part of the name must not start or end with &apos;-&apos;.</source>
        <translation>%1: Ein Teil des Namens darf nicht mit &apos;-&apos; beginnen oder enden.</translation>
    </message>
    <message>
        <source>%1: must be a port number from 1 to 65535.</source>
        <translation>%1: muss eine Portnummer von 1 bis 65535 sein.</translation>
    </message>
    <message>
        <source>%1: must start with a letter, digit or &apos;_&apos; and contain only letters A-Z, digits, &apos;_&apos;, &apos;-&apos; and &apos;.&apos;.</source>
        <translation>%1: muss mit einem Buchstaben, einer Ziffer oder &apos;_&apos; beginnen und darf nur die Buchstaben A-Z, Ziffern, &apos;_&apos;, &apos;-&apos; und &apos;.&apos; enthalten.</translation>
    </message>
    <message>
        <source>%1: is longer than 32 characters.</source>
        <translation>%1: ist länger als 32 Zeichen.</translation>
    </message>
    <message>
        <source>%1: must not contain &apos;:&apos; (the password file separates user and hash with it).</source>
        <translation>%1: darf kein &apos;:&apos; enthalten (die Passwortdatei trennt damit Benutzer und Hash).</translation>
    </message>
    <message>
        <source>%1: may only contain letters A-Z, digits, &apos;_&apos;, &apos;-&apos; and &apos;.&apos;.</source>
        <translation>%1: darf nur die Buchstaben A-Z, Ziffern, &apos;_&apos;, &apos;-&apos; und &apos;.&apos; enthalten.</translation>
    </message>
    <message>
        <source>%1: is longer than 64 characters.</source>
        <translation>%1: ist länger als 64 Zeichen.</translation>
    </message>
    <message>
        <source>%1: must not contain line breaks.</source>
        <translation>%1: darf keine Zeilenumbrüche enthalten.</translation>
    </message>
    <message>
        <source>%1: must not contain control characters.</source>
        <translation>%1: darf keine Steuerzeichen enthalten.</translation>
    </message>
    <message>
        <source>%1: must use ASCII characters only (others depend on the Pi&apos;s locale and the page&apos;s encoding).</source>
        <translation>%1: darf nur ASCII-Zeichen enthalten (andere hängen von der Locale des Pi und der Kodierung der Seite ab).</translation>
    </message>
    <message>
        <source>%1: must not contain spaces (weewx.conf drops them at the ends).</source>
        <translation>%1: darf keine Leerzeichen enthalten (weewx.conf entfernt sie an den Enden).</translation>
    </message>
    <message>
        <source>%1: must not contain %2: it would end the quoted value in weewx.conf or in the page&apos;s JavaScript.</source>
        <translation>%1: darf %2 nicht enthalten: Es würde den Wert in Anführungszeichen in weewx.conf oder im JavaScript der Seite beenden.</translation>
    </message>
    <message>
        <source>%1: must not contain %2: weewx-mqtt reads the password from server_url (mqtt://user:password@host:port/) without percent-decoding, so @ : / ? # [ ] and % cannot be used.</source>
        <translation>%1: darf %2 nicht enthalten: weewx-mqtt liest das Passwort aus server_url (mqtt://user:password@host:port/) ohne Prozent-Dekodierung, daher sind @ : / ? # [ ] und % nicht möglich.</translation>
    </message>
    <message>
        <source>%1: looks like a mosquitto password hash; enter the password itself.</source>
        <translation>%1: sieht aus wie ein mosquitto-Passwort-Hash; geben Sie das Passwort selbst ein.</translation>
    </message>
    <message>
        <source>%1: is longer than 256 characters.</source>
        <translation>%1: ist länger als 256 Zeichen.</translation>
    </message>
    <message>
        <source>%1: is longer than 65535 bytes (MQTT 3.1.1, 4.7.3).</source>
        <translation>%1: ist länger als 65535 Bytes (MQTT 3.1.1, 4.7.3).</translation>
    </message>
    <message>
        <source>%1: must not contain the wildcards &apos;+&apos; or &apos;#&apos; (MQTT 3.1.1, 4.7.1).</source>
        <translation>%1: darf die Platzhalter &apos;+&apos; und &apos;#&apos; nicht enthalten (MQTT 3.1.1, 4.7.1).</translation>
    </message>
    <message>
        <source>%1: &apos;#&apos; must be a whole level and the last one (MQTT 3.1.1, 4.7.1.2).</source>
        <translation>%1: &apos;#&apos; muss eine ganze Ebene und die letzte sein (MQTT 3.1.1, 4.7.1.2).</translation>
    </message>
    <message>
        <source>%1: &apos;+&apos; must be a whole level (MQTT 3.1.1, 4.7.1.3).</source>
        <translation>%1: &apos;+&apos; muss eine ganze Ebene sein (MQTT 3.1.1, 4.7.1.3).</translation>
    </message>
    <message>
        <source>%1: must not contain spaces.</source>
        <translation>%1: darf keine Leerzeichen enthalten.</translation>
    </message>
    <message>
        <source>%1: must not start with &apos;$&apos; (reserved for the broker).</source>
        <translation>%1: darf nicht mit &apos;$&apos; beginnen (für den Broker reserviert).</translation>
    </message>
    <message>
        <source>%1: may only contain letters A-Z, digits, &apos;_&apos;, &apos;-&apos;, &apos;.&apos; and &apos;/&apos;.</source>
        <translation>%1: darf nur die Buchstaben A-Z, Ziffern, &apos;_&apos;, &apos;-&apos;, &apos;.&apos; und &apos;/&apos; enthalten.</translation>
    </message>
    <message>
        <source>%1: must not start or end with &apos;/&apos; or contain an empty level.</source>
        <translation>%1: darf nicht mit &apos;/&apos; beginnen oder enden und keine leere Ebene enthalten.</translation>
    </message>
    <message>
        <source>%1: is longer than 200 characters.</source>
        <translation>%1: ist länger als 200 Zeichen.</translation>
    </message>
    <message>
        <source>%1: must be an absolute path (starting with &apos;/&apos;).</source>
        <translation>%1: muss ein absoluter Pfad sein (beginnend mit &apos;/&apos;).</translation>
    </message>
    <message>
        <source>%1: must name a file, without empty, &apos;.&apos; or &apos;..&apos; parts.</source>
        <translation>%1: muss eine Datei benennen, ohne leere, &apos;.&apos;- oder &apos;..&apos;-Teile.</translation>
    </message>
    <message>
        <source>%1: is longer than 1024 characters.</source>
        <translation>%1: ist länger als 1024 Zeichen.</translation>
    </message>
    <message>
        <source>Pi host</source>
        <translation>Pi-Host</translation>
    </message>
    <message>
        <source>SSH port</source>
        <translation>SSH-Port</translation>
    </message>
    <message>
        <source>SSH user</source>
        <translation>SSH-Benutzer</translation>
    </message>
    <message>
        <source>MQTT port</source>
        <translation>MQTT-Port</translation>
    </message>
    <message>
        <source>Websockets port</source>
        <translation>Websocket-Port</translation>
    </message>
    <message>
        <source>%1: must differ from the SSH port (%2).</source>
        <translation>%1: muss sich vom SSH-Port (%2) unterscheiden.</translation>
    </message>
    <message>
        <source>%1: must differ from the MQTT port (%2).</source>
        <translation>%1: muss sich vom MQTT-Port (%2) unterscheiden.</translation>
    </message>
    <message>
        <source>Web page user</source>
        <translation>Webseiten-Benutzer</translation>
    </message>
    <message>
        <source>Publishing user</source>
        <translation>Veröffentlichender Benutzer</translation>
    </message>
    <message>
        <source>%1: is the publishing user too. Its password is readable by every visitor of the page, who could then publish false readings; a separate user that may only read %2 is safer.</source>
        <translation>%1: ist zugleich der veröffentlichende Benutzer. Sein Passwort kann jeder Besucher der Seite lesen, der dann falsche Messwerte veröffentlichen könnte; ein eigener Benutzer, der nur %2 lesen darf, ist sicherer.</translation>
    </message>
    <message>
        <source>Topic</source>
        <translation>Topic</translation>
    </message>
    <message>
        <source>Extra topic %1</source>
        <translation>Zusätzliches Topic %1</translation>
    </message>
    <message>
        <source>Listener config file</source>
        <translation>Listener-Konfigurationsdatei</translation>
    </message>
    <message>
        <source>ACL file</source>
        <translation>ACL-Datei</translation>
    </message>
    <message>
        <source>Password file</source>
        <translation>Passwortdatei</translation>
    </message>
    <message>
        <source>weewx.conf file</source>
        <translation>weewx.conf-Datei</translation>
    </message>
    <message>
        <source>%1: must end in .conf (mosquitto&apos;s include_dir reads only *.conf files).</source>
        <translation>%1: muss auf .conf enden (include_dir von mosquitto liest nur *.conf-Dateien).</translation>
    </message>
    <message>
        <source>%1: is the same file as the %2.</source>
        <translation>%1: ist dieselbe Datei wie die %2.</translation>
    </message>
    <message>
        <source>%1: must not be a .conf file in %2, where mosquitto reads every .conf file as configuration.</source>
        <translation>%1: darf keine .conf-Datei in %2 sein, da mosquitto dort jede .conf-Datei als Konfiguration liest.</translation>
    </message>
    <message>
        <source>Broker host in server_url</source>
        <translation>Broker-Host in server_url</translation>
    </message>
    <message>
        <source>Page websocket host</source>
        <translation>Websocket-Host der Seite</translation>
    </message>
    <message>
        <source>%1: a visitor&apos;s browser reads &quot;%2&quot; as its own computer, so the live page works only in a browser on the Pi itself.</source>
        <translation>%1: Der Browser eines Besuchers versteht „%2“ als seinen eigenen Computer, daher funktioniert die Live-Seite nur in einem Browser auf dem Pi selbst.</translation>
    </message>
    <message>
        <source>Page websocket port</source>
        <translation>Websocket-Port der Seite</translation>
    </message>
    <message>
        <source>Page topic</source>
        <translation>Topic der Seite</translation>
    </message>
    <message>
        <source>%1: weewx-mqtt publishes the readings to %2; the page waits for data forever on %3.</source>
        <translation>%1: weewx-mqtt veröffentlicht die Messwerte unter %2; die Seite wartet unter %3 endlos auf Daten.</translation>
    </message>
    <message>
        <source>%1: must be from 0 (never) to 2147483647 milliseconds.</source>
        <translation>%1: muss zwischen 0 (nie) und 2147483647 Millisekunden liegen.</translation>
    </message>
    <message>
        <source>Visitor disconnect time</source>
        <translation>Trennzeit für Besucher</translation>
    </message>
    <message>
        <source>Password of the publishing user</source>
        <translation>Passwort des veröffentlichenden Benutzers</translation>
    </message>
    <message>
        <source>Password of the web page user</source>
        <translation>Passwort des Webseiten-Benutzers</translation>
    </message>
    <message>
        <source>%1: is the same as the publishing user&apos;s; anyone who reads it in the page could guess the other.</source>
        <translation>%1: ist dasselbe wie das des veröffentlichenden Benutzers; wer es in der Seite liest, könnte das andere erraten.</translation>
    </message>
</context>
<context>
    <name>wmw::config::WeewxConf</name>
    <message>
        <source>it contains a line break</source>
        <translation>er enthält einen Zeilenumbruch</translation>
    </message>
    <message>
        <source>it contains %(name)s, which WeeWX would replace</source>
        <translation>er enthält %(name)s, was WeeWX ersetzen würde</translation>
    </message>
    <message>
        <source>a list member cannot hold both &apos; and &quot;</source>
        <translation>ein Listenelement kann nicht sowohl &apos; als auch &quot; enthalten</translation>
    </message>
    <message>
        <source>it contains both &apos;&apos;&apos; and &quot;&quot;&quot;</source>
        <translation>er enthält sowohl &apos;&apos;&apos; als auch &quot;&quot;&quot;</translation>
    </message>
    <message>
        <source>Line %1 is not valid UTF-8.</source>
        <translation>Zeile %1 ist kein gültiges UTF-8.</translation>
    </message>
    <message>
        <source>Line %1: %2</source>
        <translation>Zeile %1: %2</translation>
    </message>
    <message>
        <source>the numbers of [ and ] differ (ConfigObj NestingError).</source>
        <translation>die Anzahl von [ und ] stimmt nicht überein (ConfigObj NestingError).</translation>
    </message>
    <message>
        <source>section nested deeper than its parent allows (ConfigObj NestingError).</source>
        <translation>Abschnitt tiefer verschachtelt, als sein übergeordneter Abschnitt erlaubt (ConfigObj NestingError).</translation>
    </message>
    <message>
        <source>section [%1] appears twice (ConfigObj DuplicateError).</source>
        <translation>Abschnitt [%1] kommt doppelt vor (ConfigObj DuplicateError).</translation>
    </message>
    <message>
        <source>neither a [section] nor a key = value line (ConfigObj ParseError).</source>
        <translation>weder ein [Abschnitt] noch eine Zeile der Form Schlüssel = Wert (ConfigObj ParseError).</translation>
    </message>
    <message>
        <source>a triple-quoted value is not closed properly (ConfigObj ParseError).</source>
        <translation>ein Wert in dreifachen Anführungszeichen ist nicht richtig abgeschlossen (ConfigObj ParseError).</translation>
    </message>
    <message>
        <source>the value cannot be read: unbalanced quotes or a broken list (ConfigObj ParseError).</source>
        <translation>der Wert ist nicht lesbar: unausgeglichene Anführungszeichen oder eine fehlerhafte Liste (ConfigObj ParseError).</translation>
    </message>
    <message>
        <source>key %1 appears twice in its section (ConfigObj DuplicateError).</source>
        <translation>Schlüssel %1 kommt in seinem Abschnitt doppelt vor (ConfigObj DuplicateError).</translation>
    </message>
    <message>
        <source>The name &quot;%1&quot; cannot be written to weewx.conf.</source>
        <translation>Der Name „%1“ kann nicht in weewx.conf geschrieben werden.</translation>
    </message>
    <message>
        <source>A key needs a section to go in.</source>
        <translation>Ein Schlüssel muss in einem Abschnitt stehen.</translation>
    </message>
    <message>
        <source>The value for %1 cannot be written to weewx.conf: %2.</source>
        <translation>Der Wert für %1 kann nicht in weewx.conf geschrieben werden: %2.</translation>
    </message>
    <message>
        <source>Line %1: %2 is a key, but a section of that name is needed.</source>
        <translation>Zeile %1: %2 ist ein Schlüssel, benötigt wird aber ein Abschnitt dieses Namens.</translation>
    </message>
    <message>
        <source>Line %1: %2 is a section, but a key of that name is needed.</source>
        <translation>Zeile %1: %2 ist ein Abschnitt, benötigt wird aber ein Schlüssel dieses Namens.</translation>
    </message>
    <message>
        <source>Setting %1 would not read back as written; weewx.conf was left unchanged.</source>
        <translation>Die Einstellung %1 ließe sich nicht so zurücklesen, wie sie geschrieben wurde; weewx.conf blieb unverändert.</translation>
    </message>
</context>
<context>
    <name>wmw::diagnosis::Diagnoser</name>
    <message>
        <source>There is no SSH session.</source>
        <translation>Es besteht keine SSH-Sitzung.</translation>
    </message>
    <message>
        <source>Connecting to %1 over SSH</source>
        <translation>Verbindung zu %1 über SSH</translation>
    </message>
    <message>
        <source>The diagnosis was cancelled.</source>
        <translation>Die Untersuchung wurde abgebrochen.</translation>
    </message>
    <message>
        <source>Collecting facts on the Pi (without sudo)</source>
        <translation>Informationen über den Pi werden gesammelt (ohne sudo)</translation>
    </message>
    <message>
        <source>Collecting facts on the Pi (with sudo)</source>
        <translation>Informationen über den Pi werden gesammelt (mit sudo)</translation>
    </message>
    <message>
        <source>Reading the page&apos;s JavaScript (%1)</source>
        <translation>JavaScript der Seite wird gelesen (%1)</translation>
    </message>
    <message>
        <source>The page&apos;s settings are unknown: %1</source>
        <translation>Die Einstellungen der Seite sind unbekannt: %1</translation>
    </message>
    <message>
        <source>The page&apos;s host or port is not usable (host &quot;%1&quot;, port &quot;%2&quot;).</source>
        <translation>Host oder Port der Seite sind nicht verwendbar (Host „%1“, Port „%2“).</translation>
    </message>
    <message>
        <source>The page subscribes to no topic (mqtt_websockets_topic is empty).</source>
        <translation>Die Seite abonniert kein Topic (mqtt_websockets_topic ist leer).</translation>
    </message>
    <message>
        <source>Connecting like the page to %1</source>
        <translation>Verbindung zu %1 (wie die Seite)</translation>
    </message>
    <message>
        <source>The Pi cannot be reached over SSH</source>
        <translation>Der Pi ist über SSH nicht erreichbar</translation>
    </message>
    <message>
        <source>The facts could not be collected on the Pi</source>
        <translation>Die Systeminformationen konnten auf dem Pi nicht gesammelt werden</translation>
    </message>
    <message>
        <source>Check the host name, that the Pi is on and that SSH is enabled (sudo raspi-config, Interface Options, SSH).</source>
        <translation>Prüfen Sie den Hostnamen und ob der Pi eingeschaltet und SSH aktiviert ist (sudo raspi-config, Interface Options, SSH).</translation>
    </message>
    <message>
        <source>Run the diagnosis again; if it keeps failing, check the sudo password.</source>
        <translation>Führen Sie die Untersuchung erneut aus; schlägt sie weiterhin fehl, prüfen Sie das sudo-Passwort.</translation>
    </message>
</context>
<context>
    <name>wmw::diagnosis::FindingText</name>
    <message>
        <source>pass</source>
        <translation>in Ordnung</translation>
    </message>
    <message>
        <source>warning</source>
        <translation>Warnung</translation>
    </message>
    <message>
        <source>FAIL</source>
        <translation>FEHLER</translation>
    </message>
    <message>
        <source>not checked</source>
        <translation>nicht geprüft</translation>
    </message>
</context>
<context>
    <name>wmw::diagnosis::ReportWriter</name>
    <message>
        <source>Healthy: every check passed.</source>
        <translation>Fehlerfrei: Alle Prüfungen bestanden.</translation>
    </message>
    <message numerus="yes">
        <source>No failure; %n warning(s).</source>
        <translation>
            <numerusform>Kein Fehler; %n Warnung(en).</numerusform>
            <numerusform>Kein Fehler; %n Warnung(en).</numerusform>
        </translation>
    </message>
    <message>
        <source>Live data received at %1 (station time %2).</source>
        <translation>Live-Daten empfangen um %1 (Stationszeit %2).</translation>
    </message>
    <message numerus="yes">
        <source>%n failure(s): %1</source>
        <translation>
            <numerusform>%n Fehler: %1</numerusform>
            <numerusform>%n Fehler: %1</numerusform>
        </translation>
    </message>
    <message>
        <source>Live page diagnosis of %1</source>
        <translation>Diagnose der Live-Seite von %1</translation>
    </message>
    <message>
        <source>Pi: %1 · checked %2</source>
        <translation>Pi: %1 · geprüft %2</translation>
    </message>
    <message>
        <source>Live readings</source>
        <translation>Live-Messwerte</translation>
    </message>
    <message>
        <source>value</source>
        <translation>Messgröße</translation>
    </message>
    <message>
        <source>reading</source>
        <translation>Messwert</translation>
    </message>
    <message>
        <source>unit</source>
        <translation>Einheit</translation>
    </message>
    <message>
        <source>Findings</source>
        <translation>Befunde</translation>
    </message>
    <message>
        <source>Fix:</source>
        <translation>Abhilfe:</translation>
    </message>
    <message>
        <source>The wizard can fix this: provision again.</source>
        <translation>Der Assistent kann das beheben: Richten Sie die Live-Updates erneut ein.</translation>
    </message>
</context>
<context>
    <name>wmw::diagnosis::Rules</name>
    <message>
        <source>%1 has no %2 (the default applies)</source>
        <translation>%1 enthält kein %2 (es gilt der Standardwert)</translation>
    </message>
    <message>
        <source>The locale is valid</source>
        <translation>Die Locale ist gültig</translation>
    </message>
    <message>
        <source>The locale is set but not generated (invalid locale)</source>
        <translation>Die Locale ist gesetzt, aber nicht erzeugt (ungültige Locale)</translation>
    </message>
    <message>
        <source>Generate the locale that /etc/default/locale names (Raspberry Pi: sudo raspi-config, Localisation Options, Locale), or set LANG to one that `locale -a` lists.</source>
        <translation>Erzeugen Sie die Locale, die /etc/default/locale nennt (Raspberry Pi: sudo raspi-config, Localisation Options, Locale), oder setzen Sie LANG auf eine, die `locale -a` auflistet.</translation>
    </message>
    <message>
        <source>No %1 is configured.</source>
        <translation>%1 ist nicht konfiguriert.</translation>
    </message>
    <message>
        <source>%1 does not exist on the Pi.</source>
        <translation>%1 existiert auf dem Pi nicht.</translation>
    </message>
    <message>
        <source>Create %1, or point %2 at the file that exists (mosquitto refuses to start, exit code 13). Provisioning writes both files and the line that names them.</source>
        <translation>Legen Sie %1 an oder lassen Sie %2 auf die vorhandene Datei verweisen (mosquitto startet sonst nicht, Exit-Code 13). Die Einrichtung schreibt beide Dateien und die Zeile, die sie nennt.</translation>
    </message>
    <message>
        <source>The acl_file exists</source>
        <translation>Die acl_file existiert</translation>
    </message>
    <message>
        <source>acl_file names a file that does not exist</source>
        <translation>acl_file nennt eine Datei, die nicht existiert</translation>
    </message>
    <message>
        <source>The password_file exists</source>
        <translation>Die password_file existiert</translation>
    </message>
    <message>
        <source>password_file names a file that does not exist</source>
        <translation>password_file nennt eine Datei, die nicht existiert</translation>
    </message>
    <message>
        <source>No plain-text password lines</source>
        <translation>Keine Klartext-Passwortzeilen</translation>
    </message>
    <message>
        <source>No malformed password lines</source>
        <translation>Keine fehlerhaften Passwortzeilen</translation>
    </message>
    <message>
        <source>No password file to read.</source>
        <translation>Keine Passwortdatei zum Lesen.</translation>
    </message>
    <message>
        <source>%1 could not be read (%2).</source>
        <translation>%1 konnte nicht gelesen werden (%2).</translation>
    </message>
    <message>
        <source>(not a user:hash line)</source>
        <translation>(keine Zeile der Form user:hash)</translation>
    </message>
    <message>
        <source>The password file holds plain-text passwords</source>
        <translation>Die Passwortdatei enthält Klartext-Passwörter</translation>
    </message>
    <message>
        <source>mosquitto 2.0 drops these users (&quot;Invalid password hash type&quot;) and refuses them with CONNACK 5. Hash each password once (never run mosquitto_passwd -U twice); provisioning rewrites these lines as $7$ hashes.</source>
        <translation>mosquitto 2.0 verwirft diese Benutzer (&quot;Invalid password hash type&quot;) und lehnt sie mit CONNACK 5 ab. Hashen Sie jedes Passwort nur einmal (führen Sie mosquitto_passwd -U nie zweimal aus); die Einrichtung durch den Assistenten schreibt diese Zeilen als $7$-Hashes neu.</translation>
    </message>
    <message>
        <source>The password file holds malformed lines</source>
        <translation>Die Passwortdatei enthält fehlerhafte Zeilen</translation>
    </message>
    <message>
        <source>mosquitto drops these lines (wrong hash type, salt or length, e.g. a hash made by mosquitto_passwd 2.1 or hashed twice). Set these users&apos; passwords again; provisioning writes fresh $7$ lines.</source>
        <translation>mosquitto verwirft diese Zeilen (falscher Hash-Typ, falsches Salt oder falsche Länge, z. B. ein Hash von mosquitto_passwd 2.1 oder ein doppelt gehashtes Passwort). Setzen Sie die Passwörter dieser Benutzer neu; die Einrichtung durch den Assistenten schreibt frische $7$-Zeilen.</translation>
    </message>
    <message>
        <source>The %1 is readable for the mosquitto user</source>
        <translation>Die %1 ist für den Benutzer mosquitto lesbar</translation>
    </message>
    <message>
        <source>No %1 to check.</source>
        <translation>Keine %1 zu prüfen.</translation>
    </message>
    <message>
        <source>The %1 is not readable for the mosquitto user</source>
        <translation>Die %1 ist für den Benutzer mosquitto nicht lesbar</translation>
    </message>
    <message>
        <source>mosquitto reads this file after dropping to the user mosquitto (&quot;Unable to open&quot;, exit code 13). Make it mosquitto:mosquitto 0600: sudo chown mosquitto:mosquitto %1 &amp;&amp; sudo chmod 0600 %1. Ignore mosquitto_passwd&apos;s advice to chown it to root.</source>
        <translation>mosquitto liest diese Datei, nachdem es zum Benutzer mosquitto gewechselt hat (&quot;Unable to open&quot;, Exit-Code 13). Setzen Sie sie auf mosquitto:mosquitto 0600: sudo chown mosquitto:mosquitto %1 &amp;&amp; sudo chmod 0600 %1. Ignorieren Sie den Rat von mosquitto_passwd, sie per chown root zu übereignen.</translation>
    </message>
    <message>
        <source>acl file</source>
        <translation>ACL-Datei</translation>
    </message>
    <message>
        <source>password file</source>
        <translation>Passwortdatei</translation>
    </message>
    <message>
        <source>The acl file is valid</source>
        <translation>Die ACL-Datei ist gültig</translation>
    </message>
    <message>
        <source>No acl file to check.</source>
        <translation>Keine ACL-Datei zu prüfen.</translation>
    </message>
    <message>
        <source>The acl file has a line mosquitto refuses</source>
        <translation>Die ACL-Datei enthält eine Zeile, die mosquitto ablehnt</translation>
    </message>
    <message>
        <source>mosquitto stops at this line (exit code 3): separate words with single spaces, no tabs, comments only with # in column 0.</source>
        <translation>mosquitto bricht bei dieser Zeile ab (Exit-Code 3): Trennen Sie Wörter durch einzelne Leerzeichen, keine Tabulatoren, Kommentare nur mit # in Spalte 0.</translation>
    </message>
    <message>
        <source>password_file and acl_file are each set once</source>
        <translation>password_file und acl_file sind jeweils einmal gesetzt</translation>
    </message>
    <message>
        <source>password_file or acl_file is set twice in the broker&apos;s config</source>
        <translation>password_file oder acl_file ist in der Konfiguration des Brokers doppelt gesetzt</translation>
    </message>
    <message>
        <source>mosquitto refuses to start (&quot;Duplicate password_file value in configuration&quot;). Keep one of each; a copy or backup of a .conf file in conf.d is loaded too: move it out of that folder.</source>
        <translation>mosquitto startet nicht (&quot;Duplicate password_file value in configuration&quot;). Behalten Sie von jedem Eintrag nur einen; auch eine Kopie oder Sicherung einer .conf-Datei in conf.d wird geladen: Verschieben Sie sie aus diesem Ordner.</translation>
    </message>
    <message>
        <source>No listener is configured: mosquitto runs in local only mode (port 1883 on this Pi only).</source>
        <translation>Es ist kein Listener konfiguriert: mosquitto läuft im Nur-lokal-Modus (Port 1883 nur auf diesem Pi).</translation>
    </message>
    <message>
        <source>The broker has a websockets listener</source>
        <translation>Der Broker hat einen Websocket-Listener</translation>
    </message>
    <message>
        <source>The broker&apos;s config could not be read.</source>
        <translation>Die Konfiguration des Brokers konnte nicht gelesen werden.</translation>
    </message>
    <message>
        <source>The broker has no websockets listener</source>
        <translation>Der Broker hat keinen Websocket-Listener</translation>
    </message>
    <message>
        <source>Browsers speak MQTT only over websockets. Add &quot;listener 9001&quot; and &quot;protocol websockets&quot; (beside the mqtt listener) and restart mosquitto.</source>
        <translation>Browser sprechen MQTT nur über Websockets. Fügen Sie &quot;listener 9001&quot; und &quot;protocol websockets&quot; hinzu (neben dem MQTT-Listener) und starten Sie mosquitto neu.</translation>
    </message>
    <message>
        <source>The broker has a plain MQTT listener</source>
        <translation>Der Broker hat einen einfachen MQTT-Listener</translation>
    </message>
    <message>
        <source>The broker has no plain MQTT listener (websockets alone)</source>
        <translation>Der Broker hat keinen einfachen MQTT-Listener (nur Websockets)</translation>
    </message>
    <message>
        <source>mosquitto 2.0 refuses to start with websockets listeners only (&quot;Unable to start any listening sockets&quot;), and weewx-mqtt publishes over plain MQTT: add &quot;listener 1883&quot; with &quot;protocol mqtt&quot;.</source>
        <translation>mosquitto 2.0 startet nicht, wenn es nur Websocket-Listener gibt (&quot;Unable to start any listening sockets&quot;), und weewx-mqtt veröffentlicht über einfaches MQTT: Fügen Sie &quot;listener 1883&quot; mit &quot;protocol mqtt&quot; hinzu.</translation>
    </message>
    <message>
        <source>Every listener has its own port</source>
        <translation>Jeder Listener hat seinen eigenen Port</translation>
    </message>
    <message>
        <source>Two listeners are configured on one port</source>
        <translation>Zwei Listener sind auf demselben Port konfiguriert</translation>
    </message>
    <message>
        <source>The second listener cannot bind (&quot;Address already in use&quot;) and mosquitto stops. Give the mqtt and the websockets listener different ports (1883 and 9001), and remove copies of the listener file from conf.d.</source>
        <translation>Der zweite Listener kann sich nicht binden (&quot;Address already in use&quot;), und mosquitto beendet sich. Geben Sie dem mqtt- und dem websockets-Listener unterschiedliche Ports (1883 und 9001), und entfernen Sie Kopien der Listener-Datei aus conf.d.</translation>
    </message>
    <message>
        <source>The broker is running</source>
        <translation>Der Broker läuft</translation>
    </message>
    <message>
        <source>The broker (mosquitto) is not running</source>
        <translation>Der Broker (mosquitto) läuft nicht</translation>
    </message>
    <message>
        <source>Fix the error lines shown, then: sudo systemctl restart mosquitto. Config errors are only in journalctl -u mosquitto; errors after start are in /var/log/mosquitto/mosquitto.log.</source>
        <translation>Korrigieren Sie die gezeigten Fehlerzeilen, dann: sudo systemctl restart mosquitto. Konfigurationsfehler stehen nur in journalctl -u mosquitto; Fehler nach dem Start in /var/log/mosquitto/mosquitto.log.</translation>
    </message>
    <message>
        <source>No listener port is taken by another program</source>
        <translation>Kein Listener-Port ist von einem anderen Programm belegt</translation>
    </message>
    <message>
        <source>port %1 is in use while mosquitto is not running</source>
        <translation>Port %1 ist belegt, obwohl mosquitto nicht läuft</translation>
    </message>
    <message>
        <source>A listener port is taken by another program</source>
        <translation>Ein Listener-Port ist von einem anderen Programm belegt</translation>
    </message>
    <message>
        <source>Find it with: sudo ss -ltnp &apos;sport = :PORT&apos;. Stop that program (often a second broker), or give the listener another port.</source>
        <translation>Finden Sie es mit: sudo ss -ltnp &apos;sport = :PORT&apos;. Beenden Sie dieses Programm (oft ein zweiter Broker) oder geben Sie dem Listener einen anderen Port.</translation>
    </message>
    <message>
        <source>The broker runs with its current files</source>
        <translation>Der Broker läuft mit seinen aktuellen Dateien</translation>
    </message>
    <message>
        <source>The broker is not running.</source>
        <translation>Der Broker läuft nicht.</translation>
    </message>
    <message>
        <source>The broker&apos;s log shows no start line to compare with.</source>
        <translation>Das Log des Brokers enthält keine Startzeile zum Vergleich.</translation>
    </message>
    <message>
        <source>changed %1, after the broker started</source>
        <translation>am %1 geändert, nach dem Start des Brokers</translation>
    </message>
    <message>
        <source>The broker runs with a config older than its files</source>
        <translation>Der Broker läuft mit einer Konfiguration, die älter ist als seine Dateien</translation>
    </message>
    <message>
        <source>mosquitto reads its files only at start: sudo systemctl restart mosquitto (and check that it comes back).</source>
        <translation>mosquitto liest seine Dateien nur beim Start: sudo systemctl restart mosquitto (und prüfen Sie, ob mosquitto wieder läuft).</translation>
    </message>
    <message>
        <source>weewx.conf parses</source>
        <translation>weewx.conf lässt sich einlesen</translation>
    </message>
    <message>
        <source>read and parsed</source>
        <translation>gelesen und ausgewertet</translation>
    </message>
    <message>
        <source>weewx.conf does not parse (WeeWX cannot start)</source>
        <translation>weewx.conf lässt sich nicht einlesen (WeeWX kann nicht starten)</translation>
    </message>
    <message>
        <source>ConfigObj stops at this line; weewxd dies at start although systemctl restart says nothing. Fix the line (equal brackets, one key per line), or restore the backup.</source>
        <translation>ConfigObj bricht an dieser Zeile ab; weewxd beendet sich beim Start, obwohl systemctl restart nichts meldet. Korrigieren Sie die Zeile (gleich viele Klammern, ein Schlüssel pro Zeile) oder stellen Sie die Sicherung wieder her.</translation>
    </message>
    <message>
        <source>weewx.conf was not read.</source>
        <translation>weewx.conf wurde nicht gelesen.</translation>
    </message>
    <message>
        <source>weewx-mqtt is installed</source>
        <translation>weewx-mqtt ist installiert</translation>
    </message>
    <message>
        <source>Neither weectl nor weewx.conf could be read.</source>
        <translation>Weder weectl noch weewx.conf konnten gelesen werden.</translation>
    </message>
    <message>
        <source>weewx-mqtt is not installed</source>
        <translation>weewx-mqtt ist nicht installiert</translation>
    </message>
    <message>
        <source>Install it: sudo weectl extension install https://github.com/matthewwall/weewx-mqtt/archive/master.zip, then configure [StdRESTful] [[MQTT]].</source>
        <translation>Installieren Sie es: sudo weectl extension install https://github.com/matthewwall/weewx-mqtt/archive/master.zip, dann konfigurieren Sie [StdRESTful] [[MQTT]].</translation>
    </message>
    <message>
        <source>weewx-mqtt is in restful_services</source>
        <translation>weewx-mqtt steht in restful_services</translation>
    </message>
    <message>
        <source>weewx-mqtt is not in the services list (restful_services)</source>
        <translation>weewx-mqtt steht nicht in der Dienstliste (restful_services)</translation>
    </message>
    <message>
        <source>Add user.mqtt.MQTT to [Engine] [[Services]] restful_services and restart weewx; without it nothing is published.</source>
        <translation>Fügen Sie user.mqtt.MQTT zu restful_services in [Engine] [[Services]] hinzu und starten Sie weewx neu; ohne das wird nichts veröffentlicht.</translation>
    </message>
    <message>
        <source>weewx-mqtt is enabled</source>
        <translation>weewx-mqtt ist aktiviert</translation>
    </message>
    <message>
        <source>weewx-mqtt is disabled (enable = false)</source>
        <translation>weewx-mqtt ist deaktiviert (enable = false)</translation>
    </message>
    <message>
        <source>Set enable = true in [StdRESTful] [[MQTT]] (WeeWX logs &quot;MQTT: Posting not enabled&quot;).</source>
        <translation>Setzen Sie enable = true in [StdRESTful] [[MQTT]] (WeeWX protokolliert &quot;MQTT: Posting not enabled&quot;).</translation>
    </message>
    <message>
        <source>server_url is set</source>
        <translation>server_url ist gesetzt</translation>
    </message>
    <message>
        <source>There is no [[MQTT]] section.</source>
        <translation>Es gibt keinen Abschnitt [[MQTT]].</translation>
    </message>
    <message>
        <source>server_url is missing or still the installer&apos;s placeholder</source>
        <translation>server_url fehlt oder ist noch der Platzhalter des Installationsprogramms</translation>
    </message>
    <message>
        <source>Set server_url = mqtt://USER:PASSWORD@localhost:1883/ in [StdRESTful] [[MQTT]].</source>
        <translation>Setzen Sie server_url = mqtt://USER:PASSWORD@localhost:1883/ in [StdRESTful] [[MQTT]].</translation>
    </message>
    <message>
        <source>server_url names a port</source>
        <translation>server_url nennt einen Port</translation>
    </message>
    <message>
        <source>There is no usable server_url.</source>
        <translation>Es gibt keine verwendbare server_url.</translation>
    </message>
    <message>
        <source>server_url has no port</source>
        <translation>server_url enthält keinen Port</translation>
    </message>
    <message>
        <source>weewx-mqtt passes the URL&apos;s port to paho unchecked and its thread dies: write the port, e.g. mqtt://USER:PASSWORD@localhost:1883/.</source>
        <translation>weewx-mqtt gibt den Port der URL ungeprüft an paho weiter, und sein Thread stirbt: Geben Sie den Port an, z. B. mqtt://USER:PASSWORD@localhost:1883/.</translation>
    </message>
    <message>
        <source>weewx-mqtt can parse server_url</source>
        <translation>weewx-mqtt kann server_url verarbeiten</translation>
    </message>
    <message>
        <source>server_url holds characters weewx-mqtt cannot parse</source>
        <translation>server_url enthält Zeichen, die weewx-mqtt nicht verarbeiten kann</translation>
    </message>
    <message>
        <source>weewx-mqtt reads the URL with urlparse, which does not decode %-escapes: a password with / ? # : or @ breaks it. Use a password of letters, digits and - _ . ~ only.</source>
        <translation>weewx-mqtt liest die URL mit urlparse, das keine %-Escapes dekodiert: Ein Passwort mit / ? # : oder @ macht sie unbrauchbar. Verwenden Sie ein Passwort nur aus Buchstaben, Ziffern und - _ . ~.</translation>
    </message>
    <message>
        <source>weewx-mqtt publishes loop packets (binding)</source>
        <translation>weewx-mqtt veröffentlicht Loop-Pakete (binding)</translation>
    </message>
    <message>
        <source>binding lacks loop</source>
        <translation>binding enthält kein loop</translation>
    </message>
    <message>
        <source>With the default binding (archive) a message goes out only every archive interval and the page never shows &quot;Data received&quot;: set binding = archive, loop.</source>
        <translation>Mit dem voreingestellten binding (archive) geht nur einmal pro Archivintervall eine Nachricht hinaus, und die Seite zeigt nie &quot;Data received&quot;: Setzen Sie binding = archive, loop.</translation>
    </message>
    <message>
        <source>aggregation is one value</source>
        <translation>aggregation ist ein einzelner Wert</translation>
    </message>
    <message>
        <source>aggregation is written as a list</source>
        <translation>aggregation ist als Liste geschrieben</translation>
    </message>
    <message>
        <source>ConfigObj reads &quot;individual, aggregate&quot; as a list and weewx-mqtt&apos;s thread dies (AttributeError: &apos;list&apos; object has no attribute &apos;find&apos;). Write one value: aggregation = aggregate.</source>
        <translation>ConfigObj liest &quot;individual, aggregate&quot; als Liste, und der Thread von weewx-mqtt bricht ab (AttributeError: &apos;list&apos; object has no attribute &apos;find&apos;). Schreiben Sie einen einzelnen Wert: aggregation = aggregate.</translation>
    </message>
    <message>
        <source>weewx-mqtt sends the JSON message the page reads</source>
        <translation>weewx-mqtt sendet die JSON-Nachricht, die die Seite liest</translation>
    </message>
    <message>
        <source>aggregation lacks aggregate</source>
        <translation>aggregation enthält kein aggregate</translation>
    </message>
    <message>
        <source>Only aggregate sends the JSON message on &lt;topic&gt;/loop that the page reads: set aggregation = aggregate.</source>
        <translation>Nur aggregate sendet die JSON-Nachricht auf &lt;topic&gt;/loop, die die Seite liest: Setzen Sie aggregation = aggregate.</translation>
    </message>
    <message>
        <source>(no paho-mqtt)</source>
        <translation>(kein paho-mqtt)</translation>
    </message>
    <message>
        <source>weewx-mqtt 0.24 needs paho-mqtt 1.x (2.0 removed a default its Client() call relies on): sudo apt install python3-paho-mqtt (1.6.1 on Debian 12), or pip install paho-mqtt==1.6.1 where WeeWX runs from pip.</source>
        <translation>weewx-mqtt 0.24 braucht paho-mqtt 1.x (2.0 hat einen Standardwert entfernt, auf den sein Client()-Aufruf angewiesen ist): sudo apt install python3-paho-mqtt (1.6.1 unter Debian 12) oder pip install paho-mqtt==1.6.1, wenn WeeWX aus pip läuft.</translation>
    </message>
    <message>
        <source>paho-mqtt is not installed on the Pi</source>
        <translation>paho-mqtt ist auf dem Pi nicht installiert</translation>
    </message>
    <message>
        <source>The Pi&apos;s paho-mqtt version (%1) breaks weewx-mqtt</source>
        <translation>Die paho-mqtt-Version des Pi (%1) legt weewx-mqtt lahm</translation>
    </message>
    <message>
        <source>paho-mqtt %1 works with weewx-mqtt only through its deprecated callback API</source>
        <translation>paho-mqtt %1 funktioniert mit weewx-mqtt nur über seine veraltete Callback-API</translation>
    </message>
    <message>
        <source>paho-mqtt %1 suits weewx-mqtt</source>
        <translation>paho-mqtt %1 passt zu weewx-mqtt</translation>
    </message>
    <message>
        <source>WeeWX is running</source>
        <translation>WeeWX läuft</translation>
    </message>
    <message>
        <source>WeeWX is not running</source>
        <translation>WeeWX läuft nicht</translation>
    </message>
    <message>
        <source>Start it (sudo systemctl restart weewx) and check a few seconds later that it stays active: systemctl returns 0 even when weewxd dies on a broken weewx.conf.</source>
        <translation>Starten Sie WeeWX (sudo systemctl restart weewx) und prüfen Sie einige Sekunden später, ob es aktiv bleibt: systemctl gibt 0 zurück, auch wenn weewxd an einer fehlerhaften weewx.conf scheitert.</translation>
    </message>
    <message>
        <source>The broker accepts weewx-mqtt&apos;s user and password</source>
        <translation>Der Broker akzeptiert Benutzer und Passwort von weewx-mqtt</translation>
    </message>
    <message>
        <source>weewx-mqtt connects without a user, and the broker refuses anonymous clients</source>
        <translation>weewx-mqtt verbindet sich ohne Benutzer, und der Broker lehnt anonyme Clients ab</translation>
    </message>
    <message>
        <source>Put the publishing user into server_url: mqtt://USER:PASSWORD@localhost:1883/.</source>
        <translation>Tragen Sie den veröffentlichenden Benutzer in server_url ein: mqtt://USER:PASSWORD@localhost:1883/.</translation>
    </message>
    <message>
        <source>The broker checks no passwords.</source>
        <translation>Der Broker prüft keine Passwörter.</translation>
    </message>
    <message>
        <source>The password file could not be read.</source>
        <translation>Die Passwortdatei konnte nicht gelesen werden.</translation>
    </message>
    <message>
        <source>%1 has no valid line for user %2.</source>
        <translation>%1 enthält keine gültige Zeile für den Benutzer %2.</translation>
    </message>
    <message>
        <source>The broker refuses weewx-mqtt&apos;s password (server_url)</source>
        <translation>Der Broker lehnt das Passwort von weewx-mqtt ab (server_url)</translation>
    </message>
    <message>
        <source>weewx-mqtt still logs &quot;Published record&quot;, but nothing reaches the broker. Make the password in server_url and the password file agree; provisioning sets both.</source>
        <translation>weewx-mqtt protokolliert weiterhin &quot;Published record&quot;, aber nichts erreicht den Broker. Bringen Sie das Passwort in server_url und in der Passwortdatei in Übereinstimmung; die Einrichtung durch den Assistenten setzt beide.</translation>
    </message>
    <message>
        <source>The ACL lets weewx-mqtt publish</source>
        <translation>Die Zugriffsliste erlaubt weewx-mqtt das Veröffentlichen</translation>
    </message>
    <message>
        <source>No acl_file restricts publishing.</source>
        <translation>Keine acl_file-Angabe schränkt das Veröffentlichen ein.</translation>
    </message>
    <message>
        <source>The acl file could not be read.</source>
        <translation>Die ACL-Datei konnte nicht gelesen werden.</translation>
    </message>
    <message>
        <source>The ACL does not let %1 write %2</source>
        <translation>Die Zugriffsliste erlaubt %1 nicht, auf %2 zu schreiben</translation>
    </message>
    <message>
        <source>anonymous clients</source>
        <translation>anonymen Clients</translation>
    </message>
    <message>
        <source>mosquitto drops the publishes silently. Give the publishing user &quot;topic readwrite %1/#&quot; in its acl section.</source>
        <translation>mosquitto verwirft die Veröffentlichungen stillschweigend. Geben Sie dem veröffentlichenden Benutzer &quot;topic readwrite %1/#&quot; in seinem Abschnitt der ACL-Datei.</translation>
    </message>
    <message>
        <source>no rule for %1 allows writing %2</source>
        <translation>keine Regel für %1 erlaubt das Schreiben auf %2</translation>
    </message>
    <message>
        <source>mqtt_websockets_enabled is 1</source>
        <translation>mqtt_websockets_enabled ist 1</translation>
    </message>
    <message>
        <source>mqtt_websockets_enabled is not exactly 1</source>
        <translation>mqtt_websockets_enabled ist nicht genau 1</translation>
    </message>
    <message>
        <source>The skin compares the text with &apos;1&apos; (&quot;true&quot; or &quot;yes&quot; switch live updates off): mqtt_websockets_enabled = 1.</source>
        <translation>Der Skin vergleicht den Text mit &apos;1&apos; (&quot;true&quot; oder &quot;yes&quot; schalten die Live-Updates ab): mqtt_websockets_enabled = 1.</translation>
    </message>
    <message>
        <source>The page subscribes to the weewx-mqtt topic plus /loop</source>
        <translation>Die Seite abonniert das Topic von weewx-mqtt plus /loop</translation>
    </message>
    <message>
        <source>weewx-mqtt&apos;s topic: weather (default)</source>
        <translation>Topic von weewx-mqtt: weather (Vorgabe)</translation>
    </message>
    <message>
        <source>The page&apos;s topic is not the weewx-mqtt topic plus /loop</source>
        <translation>Das Topic der Seite ist nicht das Topic von weewx-mqtt plus /loop</translation>
    </message>
    <message>
        <source>weewx-mqtt sends its JSON to &lt;topic&gt;/loop: set mqtt_websockets_topic = %1.</source>
        <translation>weewx-mqtt sendet sein JSON an &lt;topic&gt;/loop: Setzen Sie mqtt_websockets_topic = %1.</translation>
    </message>
    <message>
        <source>The page&apos;s port is not the plain MQTT port</source>
        <translation>Der Port der Seite ist nicht der einfache MQTT-Port</translation>
    </message>
    <message>
        <source>The page&apos;s port is the plain MQTT port, not the websockets one</source>
        <translation>Der Port der Seite ist der einfache MQTT-Port, nicht der Websocket-Port</translation>
    </message>
    <message>
        <source>Browsers need the websockets listener: set mqtt_websockets_port to its port (%1).</source>
        <translation>Browser brauchen den Websocket-Listener: Setzen Sie mqtt_websockets_port auf dessen Port (%1).</translation>
    </message>
    <message>
        <source>A websockets listener is on the page&apos;s port</source>
        <translation>Auf dem Port der Seite lauscht ein Websocket-Listener</translation>
    </message>
    <message>
        <source>No listener is on the page&apos;s port</source>
        <translation>Auf dem Port der Seite lauscht kein Listener</translation>
    </message>
    <message>
        <source>Set mqtt_websockets_port to the websockets listener&apos;s port (%1).</source>
        <translation>Setzen Sie mqtt_websockets_port auf den Port des Websocket-Listeners (%1).</translation>
    </message>
    <message>
        <source>The page&apos;s host is set</source>
        <translation>Der Host der Seite ist gesetzt</translation>
    </message>
    <message>
        <source>The page&apos;s host is empty</source>
        <translation>Der Host der Seite ist leer</translation>
    </message>
    <message>
        <source>Set mqtt_websockets_host to the name or address at which visitors&apos; browsers reach the Pi (no ws://).</source>
        <translation>Setzen Sie mqtt_websockets_host auf den Namen oder die Adresse, unter der die Browser der Besucher den Pi erreichen (ohne ws://).</translation>
    </message>
    <message>
        <source>The page&apos;s host is not localhost</source>
        <translation>Der Host der Seite ist nicht localhost</translation>
    </message>
    <message>
        <source>The Pi is this computer (reached at %1), so localhost reaches it from here.</source>
        <translation>Der Pi ist dieser Computer (erreicht unter %1), daher erreicht localhost ihn von hier aus.</translation>
    </message>
    <message>
        <source>The page&apos;s host is localhost</source>
        <translation>Der Host der Seite ist localhost</translation>
    </message>
    <message>
        <source>In a visitor&apos;s browser localhost is the visitor&apos;s own computer: set mqtt_websockets_host to the Pi&apos;s name or address, e.g. %1.</source>
        <translation>Im Browser eines Besuchers ist localhost dessen eigener Computer: Setzen Sie mqtt_websockets_host auf den Namen oder die Adresse des Pi, z. B. %1.</translation>
    </message>
    <message>
        <source>The page&apos;s host resolves from this computer</source>
        <translation>Der Host der Seite lässt sich von diesem Computer aus auflösen</translation>
    </message>
    <message>
        <source>The page&apos;s host does not resolve</source>
        <translation>Der Host der Seite lässt sich nicht auflösen</translation>
    </message>
    <message>
        <source>Use a name that every visitor&apos;s computer can resolve, or the Pi&apos;s address.</source>
        <translation>Verwenden Sie einen Namen, den der Computer jedes Besuchers auflösen kann, oder die Adresse des Pi.</translation>
    </message>
    <message>
        <source>The broker is reachable at the page&apos;s host and port</source>
        <translation>Der Broker ist unter Host und Port der Seite erreichbar</translation>
    </message>
    <message>
        <source>The broker is not running or has no websockets listener on that port, which explains it.</source>
        <translation>Der Broker läuft nicht oder hat auf diesem Port keinen Websocket-Listener; das erklärt es.</translation>
    </message>
    <message>
        <source>The page&apos;s host does not reach the broker from this computer</source>
        <translation>Der Host der Seite führt von diesem Computer aus nicht zum Broker</translation>
    </message>
    <message>
        <source>The broker listens on the Pi, but %1 does not lead there: check the address, a firewall (sudo ufw allow %2/tcp) or the router&apos;s port forwarding.</source>
        <translation>Der Broker lauscht auf dem Pi, aber %1 führt nicht dorthin: Prüfen Sie die Adresse, eine Firewall (sudo ufw allow %2/tcp) oder die Portweiterleitung des Routers.</translation>
    </message>
    <message>
        <source>weewx-mqtt and the page use the same broker</source>
        <translation>weewx-mqtt und die Seite verwenden denselben Broker</translation>
    </message>
    <message>
        <source>The host of server_url and the page&apos;s host disagree</source>
        <translation>Der Host von server_url und der Host der Seite stimmen nicht überein</translation>
    </message>
    <message>
        <source>weewx-mqtt publishes to %1, the page subscribes at %2. If these are different brokers the page waits forever: point server_url at the Pi&apos;s own broker (localhost).</source>
        <translation>weewx-mqtt veröffentlicht an %1, die Seite abonniert bei %2. Sind das verschiedene Broker, wartet die Seite endlos: Lassen Sie server_url auf den eigenen Broker des Pi (localhost) zeigen.</translation>
    </message>
    <message>
        <source>The broker accepts the page&apos;s login</source>
        <translation>Der Broker akzeptiert die Anmeldung der Seite</translation>
    </message>
    <message>
        <source>No allow_anonymous line: mosquitto 2.0 then refuses anonymous clients.</source>
        <translation>Keine allow_anonymous-Zeile: mosquitto 2.0 lehnt dann anonyme Clients ab.</translation>
    </message>
    <message>
        <source>Anonymous access is off and the page has no credentials</source>
        <translation>Anonymer Zugriff ist aus, und die Seite hat keine Zugangsdaten</translation>
    </message>
    <message>
        <source>Either give the page a read-only user (mqtt_websockets_username and _password; the password is public) or allow anonymous clients to read only the loop topic.</source>
        <translation>Geben Sie der Seite entweder einen Benutzer, der nur lesen darf (mqtt_websockets_username und _password; das Passwort ist öffentlich), oder erlauben Sie anonymen Clients, nur das Loop-Topic zu lesen.</translation>
    </message>
    <message>
        <source>The page&apos;s password verifies</source>
        <translation>Das Passwort der Seite ist korrekt</translation>
    </message>
    <message>
        <source>The page connects anonymously.</source>
        <translation>Die Seite verbindet sich anonym.</translation>
    </message>
    <message>
        <source>The page&apos;s user is not in the password file</source>
        <translation>Der Benutzer der Seite steht nicht in der Passwortdatei</translation>
    </message>
    <message>
        <source>The page&apos;s password does not verify against its line</source>
        <translation>Das Passwort der Seite passt nicht zu seiner Zeile</translation>
    </message>
    <message>
        <source>The broker answers CONNACK 5 and the page shows &quot;Failed connecting&quot;. Set the same password in weewx.conf and the password file; provisioning sets both.</source>
        <translation>Der Broker antwortet mit CONNACK 5, und die Seite zeigt &quot;Failed connecting&quot;. Setzen Sie in weewx.conf und in der Passwortdatei dasselbe Passwort; die Einrichtung durch den Assistenten setzt beide.</translation>
    </message>
    <message>
        <source>The ACL lets the page&apos;s user read the page&apos;s topic</source>
        <translation>Die Zugriffsliste erlaubt dem Benutzer der Seite, das Topic der Seite zu lesen</translation>
    </message>
    <message>
        <source>no section for user %1</source>
        <translation>kein Abschnitt für Benutzer %1</translation>
    </message>
    <message>
        <source>The ACL does not let the page&apos;s user read the page&apos;s topic</source>
        <translation>Die Zugriffsliste erlaubt dem Benutzer der Seite nicht, das Topic der Seite zu lesen</translation>
    </message>
    <message>
        <source>mosquitto grants the subscription and then silently delivers nothing (&quot;Waiting for data&quot; forever). Add &quot;topic read %1&quot; to user %2&apos;s acl section.</source>
        <translation>mosquitto gewährt das Abonnement und liefert dann stillschweigend nichts aus (endlos &quot;Waiting for data&quot;). Fügen Sie &quot;topic read %1&quot; zum Abschnitt von Benutzer %2 in der ACL-Datei hinzu.</translation>
    </message>
    <message>
        <source>Anonymous page clients may read the page&apos;s topic</source>
        <translation>Anonyme Clients der Seite dürfen das Topic der Seite lesen</translation>
    </message>
    <message>
        <source>no rules before the first &quot;user&quot; line: anonymous clients may read nothing</source>
        <translation>keine Regeln vor der ersten &quot;user&quot;-Zeile: anonyme Clients dürfen nichts lesen</translation>
    </message>
    <message>
        <source>The page is anonymous and the ACL gives anonymous clients nothing on its topic</source>
        <translation>Die Seite ist anonym, und die Zugriffsliste gewährt anonymen Clients nichts auf ihrem Topic</translation>
    </message>
    <message>
        <source>The page connects, subscribes and waits for data forever; nothing is logged. Add &quot;topic read %1&quot; before the first &quot;user&quot; line, or give the page a read-only user.</source>
        <translation>Die Seite verbindet sich, abonniert und wartet endlos auf Daten; nichts wird protokolliert. Fügen Sie &quot;topic read %1&quot; vor der ersten &quot;user&quot;-Zeile hinzu, oder geben Sie der Seite einen Benutzer, der nur lesen darf.</translation>
    </message>
    <message>
        <source>The page was generated with the current settings</source>
        <translation>Die Seite wurde mit den aktuellen Einstellungen erzeugt</translation>
    </message>
    <message>
        <source>%1 has no Paho.Client line (live updates were off when it was generated, or another skin).</source>
        <translation>%1 enthält keine Paho.Client-Zeile (Live-Aktualisierungen waren beim Erzeugen ausgeschaltet, oder es ist ein anderer Skin).</translation>
    </message>
    <message>
        <source>%1 in the page: &quot;%2&quot;; in weewx.conf: &quot;%3&quot;</source>
        <translation>%1 in der Seite: &quot;%2&quot;; in weewx.conf: &quot;%3&quot;</translation>
    </message>
    <message>
        <source>The Belchertown page was not regenerated since the settings changed</source>
        <translation>Die Belchertown-Seite wurde seit der Änderung der Einstellungen nicht neu erzeugt</translation>
    </message>
    <message>
        <source>Its JavaScript still holds the old values. Run the report (sudo weectl report run Belchertown) or wait for the next archive interval, then reload the page.</source>
        <translation>Ihr JavaScript enthält noch die alten Werte. Erzeugen Sie den Bericht neu (sudo weectl report run Belchertown) oder warten Sie auf das nächste Archivintervall, und laden Sie dann die Seite neu.</translation>
    </message>
    <message>
        <source>The page&apos;s JavaScript was not read.</source>
        <translation>Das JavaScript der Seite wurde nicht gelesen.</translation>
    </message>
    <message>
        <source>The Belchertown page is older than weewx.conf</source>
        <translation>Die Belchertown-Seite ist älter als weewx.conf</translation>
    </message>
    <message>
        <source>Run the report (sudo weectl report run Belchertown) or wait for the next archive interval, then reload the page.</source>
        <translation>Erzeugen Sie den Bericht (sudo weectl report run Belchertown) oder warten Sie auf das nächste Archivintervall, und laden Sie dann die Seite neu.</translation>
    </message>
    <message>
        <source>generated before weewx.conf last changed</source>
        <translation>erzeugt vor der letzten Änderung von weewx.conf</translation>
    </message>
    <message>
        <source>The page&apos;s scheme matches mqtt_websockets_ssl</source>
        <translation>Das Schema der Seite passt zu mqtt_websockets_ssl</translation>
    </message>
    <message>
        <source>The page&apos;s URL was not given (--page-url).</source>
        <translation>Die URL der Seite wurde nicht angegeben (--page-url).</translation>
    </message>
    <message>
        <source>The page is served over https while mqtt_websockets_ssl is 0</source>
        <translation>Die Seite wird über https ausgeliefert, während mqtt_websockets_ssl 0 ist</translation>
    </message>
    <message>
        <source>Browsers block ws:// from an https page (mixed content). Add a TLS websockets listener (certfile, keyfile) and set mqtt_websockets_ssl = 1, or serve the page over http.</source>
        <translation>Browser blockieren ws:// auf einer https-Seite (gemischte Inhalte). Fügen Sie einen TLS-Websocket-Listener hinzu (certfile, keyfile) und setzen Sie mqtt_websockets_ssl = 1, oder liefern Sie die Seite über http aus.</translation>
    </message>
    <message>
        <source>Live data reaches a client that connects like the page</source>
        <translation>Live-Daten erreichen einen Client, der sich wie die Seite verbindet</translation>
    </message>
    <message>
        <source>anonymously</source>
        <translation>anonym</translation>
    </message>
    <message>
        <source>as %1</source>
        <translation>als %1</translation>
    </message>
    <message>
        <source>subscribed to %1 %2</source>
        <translation>%1 %2 abonniert</translation>
    </message>
    <message>
        <source>Data received %1: %2</source>
        <translation>Daten empfangen %1: %2</translation>
    </message>
    <message>
        <source>The page&apos;s live connection fails: %1</source>
        <translation>Die Live-Verbindung der Seite schlägt fehl: %1</translation>
    </message>
    <message>
        <source>WeeWX&apos;s publishes reach the broker</source>
        <translation>Die Veröffentlichungen von WeeWX erreichen den Broker</translation>
    </message>
    <message>
        <source>The broker is not running: WeeWX cannot publish until it runs again.</source>
        <translation>Der Broker läuft nicht: WeeWX kann erst wieder veröffentlichen, wenn er wieder läuft.</translation>
    </message>
    <message>
        <source>weewx-mqtt logs &quot;Published record&quot; even when the publish failed: only a message seen on the broker proves it works. Fix the failure shown (server_url&apos;s user, password, host and port) and restart weewx.</source>
        <translation>weewx-mqtt protokolliert &quot;Published record&quot; auch dann, wenn das Veröffentlichen fehlgeschlagen ist: Nur eine am Broker gesehene Nachricht beweist, dass es funktioniert. Beheben Sie den angezeigten Fehler (Benutzer, Passwort, Host und Port in server_url) und starten Sie weewx neu.</translation>
    </message>
    <message>
        <source>%1 (printed even for failed publishes)</source>
        <translation>%1 (wird auch bei fehlgeschlagenem Veröffentlichen ausgegeben)</translation>
    </message>
    <message>
        <source>WeeWX&apos;s publishes do not reach the broker</source>
        <translation>Die Veröffentlichungen von WeeWX erreichen den Broker nicht</translation>
    </message>
    <message numerus="yes">
        <source>%n loop message(s) arrived</source>
        <translation>
            <numerusform>%n Loop-Nachricht(en) angekommen</numerusform>
            <numerusform>%n Loop-Nachricht(en) angekommen</numerusform>
        </translation>
    </message>
    <message>
        <source>No publish failure in WeeWX&apos;s log.</source>
        <translation>Kein Veröffentlichungsfehler im Log von WeeWX.</translation>
    </message>
    <message>
        <source>No publish failure in WeeWX&apos;s log; the failures above explain the silence.</source>
        <translation>Kein Veröffentlichungsfehler im Log von WeeWX; die Fehler oben erklären, warum nichts ankommt.</translation>
    </message>
</context>
<context>
    <name>wmw::diagnosis::WeewxSettings</name>
    <message>
        <source>No weewx.conf was found on the Pi (neither /etc/weewx/weewx.conf nor ~/weewx-data/weewx.conf).</source>
        <translation>Auf dem Pi wurde keine weewx.conf gefunden (weder /etc/weewx/weewx.conf noch ~/weewx-data/weewx.conf).</translation>
    </message>
    <message>
        <source>%1 could not be read (%2); run the diagnosis with sudo rights.</source>
        <translation>%1 konnte nicht gelesen werden (%2); führen Sie die Untersuchung mit sudo-Rechten aus.</translation>
    </message>
</context>
<context>
    <name>wmw::exporting::BundleArchive</name>
    <message>
        <source>Writing the archive failed (%1): %2</source>
        <translation>Schreiben des Archivs fehlgeschlagen (%1): %2</translation>
    </message>
    <message>
        <source>Not an archive: %1</source>
        <translation>Kein Archiv: %1</translation>
    </message>
    <message>
        <source>Reading %1 from the archive failed: %2</source>
        <translation>Lesen von %1 aus dem Archiv fehlgeschlagen: %2</translation>
    </message>
    <message>
        <source>The archive is damaged: %1</source>
        <translation>Das Archiv ist beschädigt: %1</translation>
    </message>
</context>
<context>
    <name>wmw::mqtt::Check</name>
    <message>
        <source>The %1 contains a NUL character, which MQTT forbids.</source>
        <translation>Das Feld „%1“ enthält ein NUL-Zeichen, was MQTT verbietet.</translation>
    </message>
    <message>
        <source>The %1 is longer than 65535 bytes.</source>
        <translation>Das Feld „%1“ ist länger als 65535 Bytes.</translation>
    </message>
    <message>
        <source>topic</source>
        <translation>Topic</translation>
    </message>
    <message>
        <source>The topic is empty (MQTT needs at least one character).</source>
        <translation>Das Topic ist leer (MQTT benötigt mindestens ein Zeichen).</translation>
    </message>
    <message>
        <source>The topic &quot;%1&quot; has &apos;#&apos; other than as its whole last level.</source>
        <translation>Das Topic „%1“ enthält &apos;#&apos;, aber nicht als gesamte letzte Ebene.</translation>
    </message>
    <message>
        <source>The topic &quot;%1&quot; has &apos;+&apos; inside a level; it must stand alone between slashes.</source>
        <translation>Das Topic „%1“ enthält &apos;+&apos; innerhalb einer Ebene; es muss allein zwischen Schrägstrichen stehen.</translation>
    </message>
    <message>
        <source>The topic &quot;%1&quot; contains a wildcard (&apos;+&apos; or &apos;#&apos;), which a published message cannot have.</source>
        <translation>Das Topic „%1“ enthält einen Platzhalter (&apos;+&apos; oder &apos;#&apos;), den eine veröffentlichte Nachricht nicht haben darf.</translation>
    </message>
    <message>
        <source>client id</source>
        <translation>Client-ID</translation>
    </message>
    <message>
        <source>The user name is empty; leave it out to connect anonymously.</source>
        <translation>Der Benutzername ist leer; lassen Sie ihn weg, um sich anonym zu verbinden.</translation>
    </message>
    <message>
        <source>user name</source>
        <translation>Benutzername</translation>
    </message>
    <message>
        <source>The password is longer than 65535 bytes.</source>
        <translation>Das Passwort ist länger als 65535 Bytes.</translation>
    </message>
</context>
<context>
    <name>wmw::mqtt::Decoder</name>
    <message>
        <source>Reserved packet type %1 in the fixed header (spec 2.2.1).</source>
        <translation>Reservierter Pakettyp %1 im festen Header (Spezifikation 2.2.1).</translation>
    </message>
    <message>
        <source>%1 with flags %2; the spec requires %3 (MQTT-2.2.2-2).</source>
        <translation>%1 mit Flags %2; die Spezifikation verlangt %3 (MQTT-2.2.2-2).</translation>
    </message>
    <message>
        <source>The remaining length of a %1 uses more than four bytes (spec 2.2.3).</source>
        <translation>Die Restlänge eines %1-Pakets belegt mehr als vier Bytes (Spezifikation 2.2.3).</translation>
    </message>
    <message>
        <source>A %1 of %2 bytes exceeds the limit of %3 bytes.</source>
        <translation>Ein %1-Paket von %2 Bytes überschreitet die Grenze von %3 Bytes.</translation>
    </message>
    <message>
        <source>A field of a %1 runs past its end.</source>
        <translation>Ein Feld eines %1-Pakets reicht über dessen Ende hinaus.</translation>
    </message>
    <message>
        <source>Malformed %1: %2</source>
        <translation>Fehlerhaftes %1-Paket: %2</translation>
    </message>
    <message>
        <source>A string in a %1 is not valid UTF-8 or holds U+0000 (MQTT-1.5.3-1).</source>
        <translation>Eine Zeichenkette in einem %1-Paket ist kein gültiges UTF-8 oder enthält U+0000 (MQTT-1.5.3-1).</translation>
    </message>
    <message>
        <source>packet identifier 0</source>
        <translation>Paketkennung 0</translation>
    </message>
    <message>
        <source>protocol name &quot;%1&quot; instead of &quot;MQTT&quot;</source>
        <translation>Protokollname „%1“ statt „MQTT“</translation>
    </message>
    <message>
        <source>the reserved connect flag is set</source>
        <translation>das reservierte Connect-Flag ist gesetzt</translation>
    </message>
    <message>
        <source>will QoS or retain set without a will</source>
        <translation>Will-QoS oder Retain gesetzt ohne Will</translation>
    </message>
    <message>
        <source>will QoS 3</source>
        <translation>Will-QoS 3</translation>
    </message>
    <message>
        <source>a password without a user name</source>
        <translation>ein Passwort ohne Benutzernamen</translation>
    </message>
    <message>
        <source>reserved acknowledge flags are set</source>
        <translation>reservierte Bestätigungs-Flags sind gesetzt</translation>
    </message>
    <message>
        <source>session present with a refusal</source>
        <translation>Session-Present-Flag zusammen mit einer Ablehnung</translation>
    </message>
    <message>
        <source>PUBLISH with QoS 3 (MQTT-3.3.1-4).</source>
        <translation>PUBLISH mit QoS 3 (MQTT-3.3.1-4).</translation>
    </message>
    <message>
        <source>PUBLISH with QoS 0 and DUP set (MQTT-3.3.1-2).</source>
        <translation>PUBLISH mit QoS 0 und gesetztem DUP (MQTT-3.3.1-2).</translation>
    </message>
    <message>
        <source>topic name &quot;%1&quot; is empty or has a wildcard</source>
        <translation>Topic-Name „%1“ ist leer oder enthält einen Platzhalter</translation>
    </message>
    <message>
        <source>no topic filter</source>
        <translation>kein Topic-Filter</translation>
    </message>
    <message>
        <source>requested QoS byte %1</source>
        <translation>angefordertes QoS-Byte %1</translation>
    </message>
    <message>
        <source>no return code</source>
        <translation>kein Rückgabecode</translation>
    </message>
    <message>
        <source>return code 0x%1</source>
        <translation>Rückgabecode 0x%1</translation>
    </message>
    <message>
        <source>Reserved packet type 0.</source>
        <translation>Reservierter Pakettyp 0.</translation>
    </message>
    <message numerus="yes">
        <source>%n byte(s) left over after the last field</source>
        <translation>
            <numerusform>%n Byte(s) nach dem letzten Feld übrig</numerusform>
            <numerusform>%n Byte(s) nach dem letzten Feld übrig</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>wmw::mqtt::LiveCheck</name>
    <message>
        <source>TCP connection established</source>
        <translation>TCP-Verbindung hergestellt</translation>
    </message>
    <message>
        <source>websocket open, but the answer names no mqtt subprotocol</source>
        <translation>Websocket offen, aber die Antwort nennt kein mqtt-Subprotokoll</translation>
    </message>
    <message>
        <source>The broker address is empty.</source>
        <translation>Die Broker-Adresse ist leer.</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a valid address: %2</source>
        <translation>„%1“ ist keine gültige Adresse: %2</translation>
    </message>
    <message>
        <source>&quot;%1&quot; must start with ws:// or wss:// (the page connects over websockets).</source>
        <translation>„%1“ muss mit ws:// oder wss:// beginnen (die Seite verbindet sich über Websockets).</translation>
    </message>
    <message>
        <source>&quot;%1&quot; has no host name.</source>
        <translation>„%1“ enthält keinen Hostnamen.</translation>
    </message>
    <message>
        <source>The address must not hold a user name or password; give the user with --user and the password on standard input.</source>
        <translation>Die Adresse darf weder Benutzername noch Passwort enthalten; geben Sie den Benutzer mit --user und das Passwort über die Standardeingabe an.</translation>
    </message>
    <message>
        <source>Not connected.</source>
        <translation>Nicht verbunden.</translation>
    </message>
    <message>
        <source>Connecting to weather station real time data.</source>
        <translation>Verbindung zu den Echtzeitdaten der Wetterstation wird hergestellt.</translation>
    </message>
    <message>
        <source>Connected. Waiting for data.</source>
        <translation>Verbunden. Warte auf Daten.</translation>
    </message>
    <message>
        <source>Connected to weather station live. Data received.</source>
        <translation>Live mit der Wetterstation verbunden. Daten empfangen.</translation>
    </message>
    <message>
        <source>Failed connecting to the weather station.</source>
        <translation>Verbindung zur Wetterstation fehlgeschlagen.</translation>
    </message>
    <message>
        <source>Lost connection to the weather station.</source>
        <translation>Verbindung zur Wetterstation verloren.</translation>
    </message>
    <message>
        <source>Give the topic the page subscribes to (mqtt_websockets_topic), e.g. weather/loop.</source>
        <translation>Geben Sie das Topic an, das die Seite abonniert (mqtt_websockets_topic), z. B. weather/loop.</translation>
    </message>
    <message>
        <source>The broker refused the subscription to &quot;%1&quot; (SUBACK 0x80).</source>
        <translation>Der Broker hat das Abonnement von „%1“ abgelehnt (SUBACK 0x80).</translation>
    </message>
    <message>
        <source>Allow this user to read the topic in the broker&apos;s ACL (an acl_file line &quot;topic read %1&quot; under &quot;user &lt;name&gt;&quot;, or for anonymous pages before the first &quot;user&quot; line).</source>
        <translation>Erlauben Sie diesem Benutzer in der Zugriffsliste des Brokers, das Topic zu lesen (eine acl_file-Zeile &quot;topic read %1&quot; unter &quot;user &lt;name&gt;&quot;, bei anonymen Seiten vor der ersten &quot;user&quot;-Zeile).</translation>
    </message>
    <message>
        <source>archive record on %1 (the page reloads its charts and keeps waiting)</source>
        <translation>Archivdatensatz auf %1 (die Seite lädt ihre Diagramme neu und wartet weiter)</translation>
    </message>
    <message>
        <source>message on %1 that the page cannot use: %2</source>
        <translation>Nachricht auf %1, die die Seite nicht verwenden kann: %2</translation>
    </message>
    <message>
        <source>Data received on %1.</source>
        <translation>Daten auf %1 empfangen.</translation>
    </message>
    <message>
        <source>Loop data stopped: nothing for %1 s.</source>
        <translation>Keine Loop-Daten mehr: seit %1 s nichts empfangen.</translation>
    </message>
    <message>
        <source>WeeWX stopped publishing: check that weewxd is running and its log for MQTT errors.</source>
        <translation>WeeWX veröffentlicht nicht mehr: Prüfen Sie, ob weewxd läuft, und sein Log auf MQTT-Fehler.</translation>
    </message>
    <message>
        <source>Only archive records arrived on %1 within %2 s (they carry interval_minute); the page keeps waiting for loop data.</source>
        <translation>Auf %1 kamen innerhalb von %2 s nur Archivdatensätze an (sie enthalten interval_minute); die Seite wartet weiter auf Loop-Daten.</translation>
    </message>
    <message>
        <source>Publish loop packets too: set &quot;binding = archive, loop&quot; in weewx.conf [StdRESTful] [[MQTT]] and restart WeeWX.</source>
        <translation>Veröffentlichen Sie auch Loop-Pakete: Setzen Sie &quot;binding = archive, loop&quot; in weewx.conf [StdRESTful] [[MQTT]] und starten Sie WeeWX neu.</translation>
    </message>
    <message>
        <source>Messages arrived on %1, but none is a loop record the page can show: %2</source>
        <translation>Auf %1 kamen Nachrichten an, aber keine ist ein Loop-Datensatz, den die Seite anzeigen kann: %2</translation>
    </message>
    <message>
        <source>The page needs weewx-mqtt&apos;s JSON on &lt;topic&gt;/loop: check &quot;aggregation&quot; (it must include aggregate) and that nothing else publishes to this topic.</source>
        <translation>Die Seite benötigt das JSON von weewx-mqtt auf &lt;topic&gt;/loop: Prüfen Sie &quot;aggregation&quot; (es muss aggregate enthalten) und dass nichts anderes auf dieses Topic veröffentlicht.</translation>
    </message>
    <message>
        <source>Subscribed to %1, but no message arrived within %2 s.</source>
        <translation>%1 abonniert, aber innerhalb von %2 s kam keine Nachricht an.</translation>
    </message>
    <message>
        <source>Three causes look alike here: (1) WeeWX is not publishing: check [StdRESTful] [[MQTT]] in weewx.conf and the WeeWX log (&quot;Published record&quot; proves nothing); (2) the topic differs: the page needs the [[MQTT]] topic plus &quot;/loop&quot;, e.g. weather/loop; (3) the broker&apos;s ACL denies this user reading the topic: mosquitto still confirms the subscription and then silently drops every message; add &quot;topic read %1&quot; for this user (or for anonymous users before the first &quot;user&quot; line).</source>
        <translation>Hier sehen drei Ursachen gleich aus: (1) WeeWX veröffentlicht nicht: Prüfen Sie [StdRESTful] [[MQTT]] in weewx.conf und das WeeWX-Log (&quot;Published record&quot; beweist nichts); (2) das Topic weicht ab: Die Seite braucht das [[MQTT]]-Topic plus &quot;/loop&quot;, z. B. weather/loop; (3) die Zugriffsliste des Brokers verweigert diesem Benutzer das Lesen des Topics: mosquitto bestätigt das Abonnement trotzdem und verwirft dann stillschweigend jede Nachricht; fügen Sie &quot;topic read %1&quot; für diesen Benutzer hinzu (oder für anonyme Benutzer vor der ersten &quot;user&quot;-Zeile).</translation>
    </message>
    <message>
        <source>The broker refused MQTT 3.1.1 (CONNACK 1: unacceptable protocol version).</source>
        <translation>Der Broker hat MQTT 3.1.1 abgelehnt (CONNACK 1: Protokollversion nicht akzeptiert).</translation>
    </message>
    <message>
        <source>Use a broker that speaks MQTT 3.1.1, such as mosquitto 1.3 or later.</source>
        <translation>Verwenden Sie einen Broker, der MQTT 3.1.1 spricht, etwa mosquitto 1.3 oder neuer.</translation>
    </message>
    <message>
        <source>The broker rejected the client identifier (CONNACK 2).</source>
        <translation>Der Broker hat die Client-Kennung abgelehnt (CONNACK 2).</translation>
    </message>
    <message>
        <source>The page sends ids like &quot;website123456789&quot;: allow such ids (check clientid_prefixes and allow_zero_length_clientid in mosquitto.conf).</source>
        <translation>Die Seite sendet IDs wie &quot;website123456789&quot;: Erlauben Sie solche IDs (prüfen Sie clientid_prefixes und allow_zero_length_clientid in mosquitto.conf).</translation>
    </message>
    <message>
        <source>The broker is unavailable (CONNACK 3).</source>
        <translation>Der Broker ist nicht verfügbar (CONNACK 3).</translation>
    </message>
    <message>
        <source>The broker accepts connections but no MQTT service: check its log.</source>
        <translation>Der Broker nimmt Verbindungen an, bietet aber keinen MQTT-Dienst: Prüfen Sie sein Log.</translation>
    </message>
    <message>
        <source>The broker refused the user name or password (CONNACK 4).</source>
        <translation>Der Broker hat Benutzername oder Passwort abgelehnt (CONNACK 4).</translation>
    </message>
    <message>
        <source>Check the user name and password (mqtt_websockets_username/_password) against the broker&apos;s password_file.</source>
        <translation>Gleichen Sie Benutzername und Passwort (mqtt_websockets_username/_password) mit der password_file des Brokers ab.</translation>
    </message>
    <message>
        <source>The broker refused the login: not authorised (CONNACK 5).</source>
        <translation>Der Broker hat die Anmeldung abgelehnt: nicht autorisiert (CONNACK 5).</translation>
    </message>
    <message>
        <source>mosquitto answers 5 for a wrong password, an unknown user, and an anonymous login while allow_anonymous is false. Check the user and password against the password_file (hashed with mosquitto_passwd), or for an anonymous page set &quot;allow_anonymous true&quot; with an ACL that lets anonymous users read only the loop topic.</source>
        <translation>mosquitto antwortet mit 5 bei einem falschen Passwort, einem unbekannten Benutzer und einer anonymen Anmeldung, solange allow_anonymous false ist. Prüfen Sie Benutzer und Passwort anhand der password_file (gehasht mit mosquitto_passwd), oder setzen Sie für eine anonyme Seite &quot;allow_anonymous true&quot; mit einer Zugriffsliste, die anonymen Benutzern nur das Lesen des Loop-Topics erlaubt.</translation>
    </message>
    <message>
        <source>The broker answered with the reserved CONNACK code %1.</source>
        <translation>Der Broker antwortete mit dem reservierten CONNACK-Code %1.</translation>
    </message>
    <message>
        <source>Check that the address leads to an MQTT 3.1.1 broker.</source>
        <translation>Prüfen Sie, ob die Adresse zu einem MQTT-3.1.1-Broker führt.</translation>
    </message>
    <message>
        <source>Correct the address, user name or password.</source>
        <translation>Korrigieren Sie die Adresse, den Benutzernamen oder das Passwort.</translation>
    </message>
    <message>
        <source>Check the spelling of &quot;%1&quot;. The page&apos;s visitors need a name their own browsers can resolve (mqtt_websockets_host): not localhost, and not a LAN name for visitors from the Internet.</source>
        <translation>Prüfen Sie die Schreibweise von „%1“. Die Besucher der Seite brauchen einen Namen, den ihre eigenen Browser auflösen können (mqtt_websockets_host): nicht localhost und für Besucher aus dem Internet keinen Namen aus dem lokalen Netz.</translation>
    </message>
    <message>
        <source>Nothing listens on %1 port %2 (connection refused).</source>
        <translation>Auf %1 Port %2 lauscht nichts (Verbindung abgelehnt).</translation>
    </message>
    <message>
        <source>Is mosquitto running? Does it have a websockets listener on this port (&quot;listener %1&quot; followed by &quot;protocol websockets&quot;)? The port must match mqtt_websockets_port.</source>
        <translation>Läuft mosquitto? Hat es auf diesem Port einen Websocket-Listener (&quot;listener %1&quot; gefolgt von &quot;protocol websockets&quot;)? Der Port muss mit mqtt_websockets_port übereinstimmen.</translation>
    </message>
    <message>
        <source>Packets to %1 port %2 go unanswered: a firewall drops them, the port is not forwarded to the Pi, or the address is wrong.</source>
        <translation>Pakete an %1 Port %2 bleiben unbeantwortet: Eine Firewall verwirft sie, der Port wird nicht an den Pi weitergeleitet, oder die Adresse ist falsch.</translation>
    </message>
    <message>
        <source>%1 cannot be reached: %2</source>
        <translation>%1 ist nicht erreichbar: %2</translation>
    </message>
    <message>
        <source>Check the network connection and the address.</source>
        <translation>Prüfen Sie die Netzwerkverbindung und die Adresse.</translation>
    </message>
    <message>
        <source>wss:// needs a listener with certfile and keyfile; a listener without them speaks ws:// (mqtt_websockets_ssl = 0).</source>
        <translation>wss:// braucht einen Listener mit certfile und keyfile; ein Listener ohne sie spricht ws:// (mqtt_websockets_ssl = 0).</translation>
    </message>
    <message>
        <source>The broker&apos;s certificate is not trusted: %1. Its SHA-256 fingerprint is %2.</source>
        <translation>Dem Zertifikat des Brokers wird nicht vertraut: %1. Sein SHA-256-Fingerabdruck ist %2.</translation>
    </message>
    <message>
        <source>Give the certificate of the CA that signed it, or accept this one certificate after comparing the fingerprint with the broker&apos;s. Visitors&apos; browsers refuse it too unless a public CA signed it for this name.</source>
        <translation>Geben Sie das Zertifikat der Zertifizierungsstelle (CA) an, die es signiert hat, oder akzeptieren Sie genau dieses Zertifikat, nachdem Sie den Fingerabdruck mit dem des Brokers verglichen haben. Auch die Browser der Besucher lehnen es ab, sofern es nicht von einer öffentlichen CA für diesen Namen signiert wurde.</translation>
    </message>
    <message>
        <source>Port %1 answers TCP, but not as a websocket listener: %2</source>
        <translation>Port %1 antwortet auf TCP, aber nicht als Websocket-Listener: %2</translation>
    </message>
    <message>
        <source>This is often the plain MQTT port (1883). Use the port of the listener with &quot;protocol websockets&quot;, and if a web server or proxy is in between, make it pass /mqtt through as a websocket.</source>
        <translation>Das ist oft der einfache MQTT-Port (1883). Verwenden Sie den Port des Listeners mit &quot;protocol websockets&quot;, und falls ein Webserver oder Proxy dazwischenliegt, lassen Sie ihn /mqtt als Websocket durchreichen.</translation>
    </message>
    <message>
        <source>The websocket opened but MQTT got no answer. The websocket subprotocol must be &quot;mqtt&quot; (mosquitto silently ignores a socket without it); a proxy in front of the broker may drop frames or lead somewhere else.</source>
        <translation>Der Websocket wurde geöffnet, aber MQTT erhielt keine Antwort. Das Websocket-Subprotokoll muss &quot;mqtt&quot; lauten (mosquitto ignoriert einen Socket ohne es stillschweigend); ein Proxy vor dem Broker verwirft womöglich Frames oder leitet woandershin.</translation>
    </message>
    <message>
        <source>Check that the address leads to an MQTT 3.1.1 broker and nothing between alters the frames.</source>
        <translation>Prüfen Sie, ob die Adresse zu einem MQTT-3.1.1-Broker führt und nichts dazwischen die Frames verändert.</translation>
    </message>
    <message>
        <source>The connection was lost: %1</source>
        <translation>Die Verbindung ging verloren: %1</translation>
    </message>
    <message>
        <source>The broker stopped or restarted, or the network dropped. Check that mosquitto is running (and its log); the page reconnects by itself.</source>
        <translation>Der Broker wurde beendet oder neu gestartet, oder das Netzwerk ist ausgefallen. Prüfen Sie, ob mosquitto läuft (und sein Log); die Seite verbindet sich von selbst neu.</translation>
    </message>
    <message>
        <source>MQTT login and permissions</source>
        <translation>MQTT-Anmeldung und -Berechtigungen</translation>
    </message>
    <message>
        <source>message on %1 before the check was armed: not counted</source>
        <translation>Nachricht auf %1, bevor die Prüfung scharf geschaltet war: nicht gezählt</translation>
    </message>
    <message>
        <source>websocket open (subprotocol mqtt), sent CONNECT and SUBSCRIBE to %1</source>
        <translation>Websocket offen (Subprotokoll mqtt), CONNECT und SUBSCRIBE auf %1 gesendet</translation>
    </message>
    <message>
        <source>CONNACK 0: connection accepted</source>
        <translation>CONNACK 0: Verbindung angenommen</translation>
    </message>
</context>
<context>
    <name>wmw::mqtt::LoopMessage</name>
    <message>
        <source>The message is not JSON (%1 at byte %2); the Belchertown page cannot read it.</source>
        <translation>Die Nachricht ist kein JSON (%1 bei Byte %2); die Belchertown-Seite kann sie nicht lesen.</translation>
    </message>
    <message>
        <source>The message is JSON but not an object of named values.</source>
        <translation>Die Nachricht ist JSON, aber kein Objekt mit benannten Werten.</translation>
    </message>
</context>
<context>
    <name>wmw::mqtt::MqttClient</name>
    <message>
        <source>The address &quot;%1&quot; is not a ws:// or wss:// URL.</source>
        <translation>Die Adresse „%1“ ist keine ws://- oder wss://-URL.</translation>
    </message>
    <message>
        <source>The address &quot;%1&quot; has no host name.</source>
        <translation>Die Adresse „%1“ enthält keinen Hostnamen.</translation>
    </message>
    <message>
        <source>A password needs a user name (MQTT-3.1.2-22).</source>
        <translation>Ein Passwort erfordert einen Benutzernamen (MQTT-3.1.2-22).</translation>
    </message>
    <message>
        <source>The broker sent a websocket text message; MQTT travels in binary messages.</source>
        <translation>Der Broker hat eine Websocket-Textnachricht gesendet; MQTT wird in Binärnachrichten übertragen.</translation>
    </message>
    <message>
        <source>Looking up &quot;%1&quot; took longer than %2 s.</source>
        <translation>Die Namensauflösung von „%1“ dauerte länger als %2 s.</translation>
    </message>
    <message>
        <source>No TCP connection to %1 port %2 within %3 s.</source>
        <translation>Keine TCP-Verbindung zu %1 Port %2 innerhalb von %3 s.</translation>
    </message>
    <message>
        <source>The port accepted TCP but gave no TLS answer within %1 s.</source>
        <translation>Der Port hat TCP angenommen, aber innerhalb von %1 s keine TLS-Antwort gegeben.</translation>
    </message>
    <message>
        <source>The port accepted TCP but did not answer the websocket handshake within %1 s.</source>
        <translation>Der Port hat TCP angenommen, aber den Websocket-Handshake nicht innerhalb von %1 s beantwortet.</translation>
    </message>
    <message>
        <source>The websocket is open, but no CONNACK came within %1 s.</source>
        <translation>Der Websocket ist offen, aber innerhalb von %1 s kam kein CONNACK.</translation>
    </message>
    <message>
        <source>The websocket is open but its answer did not name the &quot;mqtt&quot; subprotocol, and no CONNACK came within %1 s.</source>
        <translation>Der Websocket ist offen, aber seine Antwort nannte nicht das Subprotokoll &quot;mqtt&quot;, und innerhalb von %1 s kam kein CONNACK.</translation>
    </message>
    <message>
        <source>The name &quot;%1&quot; does not resolve: %2</source>
        <translation>Der Name „%1“ lässt sich nicht auflösen: %2</translation>
    </message>
    <message>
        <source>Connection refused: %1</source>
        <translation>Verbindung abgelehnt: %1</translation>
    </message>
    <message>
        <source>The TCP connection timed out: %1</source>
        <translation>Zeitüberschreitung der TCP-Verbindung: %1</translation>
    </message>
    <message>
        <source>The TLS handshake failed: %1</source>
        <translation>Der TLS-Handshake ist fehlgeschlagen: %1</translation>
    </message>
    <message>
        <source>The connection closed after CONNECT without a CONNACK: %1</source>
        <translation>Die Verbindung wurde nach CONNECT ohne CONNACK geschlossen: %1</translation>
    </message>
    <message>
        <source>The broker sent %1 before CONNACK (MQTT-3.2.0-1).</source>
        <translation>Der Broker hat %1 vor CONNACK gesendet (MQTT-3.2.0-1).</translation>
    </message>
    <message>
        <source>The broker sent a second CONNACK.</source>
        <translation>Der Broker hat ein zweites CONNACK gesendet.</translation>
    </message>
    <message>
        <source>The broker refused the connection with CONNACK return code %1.</source>
        <translation>Der Broker hat die Verbindung mit dem CONNACK-Rückgabecode %1 abgelehnt.</translation>
    </message>
    <message>
        <source>The broker sent a QoS 2 message on a QoS 0/1 subscription.</source>
        <translation>Der Broker hat eine QoS-2-Nachricht auf einem QoS-0/1-Abonnement gesendet.</translation>
    </message>
    <message>
        <source>The broker sent %1, which only a client sends.</source>
        <translation>Der Broker hat %1 gesendet, was nur ein Client sendet.</translation>
    </message>
    <message>
        <source>The broker did not answer SUBSCRIBE within %1 s.</source>
        <translation>Der Broker hat SUBSCRIBE nicht innerhalb von %1 s beantwortet.</translation>
    </message>
    <message>
        <source>The broker did not answer a keepalive ping within %1 s.</source>
        <translation>Der Broker hat einen Keepalive-Ping nicht innerhalb von %1 s beantwortet.</translation>
    </message>
</context>
<context>
    <name>wmw::provisioning::ApplyProtocol</name>
    <message>
        <source>The Pi&apos;s answer about %1 is missing.</source>
        <translation>Die Antwort des Pi zu %1 fehlt.</translation>
    </message>
    <message>
        <source>The Pi&apos;s answer about %1 is garbled.</source>
        <translation>Die Antwort des Pi zu %1 ist verstümmelt.</translation>
    </message>
    <message>
        <source>%1 on the Pi is not a regular file.</source>
        <translation>%1 auf dem Pi ist keine reguläre Datei.</translation>
    </message>
    <message>
        <source>%1 on the Pi cannot be read, even with sudo.</source>
        <translation>%1 auf dem Pi kann nicht gelesen werden, auch nicht mit sudo.</translation>
    </message>
    <message>
        <source>The Pi&apos;s copy of %1 arrived damaged.</source>
        <translation>Die Kopie von %1 vom Pi kam beschädigt an.</translation>
    </message>
    <message>
        <source>The path %1 cannot be written by the apply script.</source>
        <translation>Der Pfad %1 kann vom Anwendungsskript nicht geschrieben werden.</translation>
    </message>
    <message>
        <source>The owner %1:%2 of %3 is not a valid account name.</source>
        <translation>Der Eigentümer %1:%2 von %3 ist kein gültiger Kontoname.</translation>
    </message>
    <message>
        <source>The Pi started the undo.</source>
        <translation>Der Pi hat mit dem Rückgängigmachen begonnen.</translation>
    </message>
    <message>
        <source>The Pi started the apply.</source>
        <translation>Der Pi hat mit dem Anwenden begonnen.</translation>
    </message>
    <message>
        <source>%1 is as it was read.</source>
        <translation>%1 ist seit dem Lesen unverändert.</translation>
    </message>
    <message>
        <source>%1 changed on the Pi since it was read.</source>
        <translation>%1 wurde auf dem Pi seit dem Lesen geändert.</translation>
    </message>
    <message>
        <source>Restoring backup %1.</source>
        <translation>Sicherung %1 wird wiederhergestellt.</translation>
    </message>
    <message>
        <source>Backed up into %1/%2.</source>
        <translation>Gesichert nach %1/%2.</translation>
    </message>
    <message>
        <source>Installed %1.</source>
        <translation>%1 installiert.</translation>
    </message>
    <message>
        <source>Installing %1 failed.</source>
        <translation>Installation von %1 fehlgeschlagen.</translation>
    </message>
    <message>
        <source>Restarted %1.</source>
        <translation>%1 neu gestartet.</translation>
    </message>
    <message>
        <source>Restarting %1 failed.</source>
        <translation>Neustart von %1 fehlgeschlagen.</translation>
    </message>
    <message>
        <source>Restarting %1 failed: %2</source>
        <translation>Neustart von %1 fehlgeschlagen: %2</translation>
    </message>
    <message>
        <source>%1 is running.</source>
        <translation>%1 läuft.</translation>
    </message>
    <message>
        <source>%1 is not running.</source>
        <translation>%1 läuft nicht.</translation>
    </message>
    <message>
        <source>mosquitto listens on port %1.</source>
        <translation>mosquitto lauscht auf Port %1.</translation>
    </message>
    <message>
        <source>mosquitto does not listen on port %1.</source>
        <translation>mosquitto lauscht nicht auf Port %1.</translation>
    </message>
    <message>
        <source>mosquitto logged no new error.</source>
        <translation>mosquitto hat keinen neuen Fehler protokolliert.</translation>
    </message>
    <message>
        <source>mosquitto logged: %1</source>
        <translation>mosquitto hat protokolliert: %1</translation>
    </message>
    <message>
        <source>mosquitto&apos;s journal: %1</source>
        <translation>Journal von mosquitto: %1</translation>
    </message>
    <message>
        <source>Rolling back: every file goes back.</source>
        <translation>Wird zurückgesetzt: Jede Datei wird wiederhergestellt.</translation>
    </message>
    <message>
        <source>Rolled back: the old files are in place and running.</source>
        <translation>Zurückgesetzt: Die alten Dateien sind wieder an ihrem Platz und in Betrieb.</translation>
    </message>
    <message>
        <source>The rollback did not complete: check the Pi.</source>
        <translation>Das Zurücksetzen wurde nicht abgeschlossen: Prüfen Sie den Pi.</translation>
    </message>
    <message>
        <source>Restored %1.</source>
        <translation>%1 wiederhergestellt.</translation>
    </message>
    <message>
        <source>Restoring %1 failed.</source>
        <translation>Wiederherstellung von %1 fehlgeschlagen.</translation>
    </message>
    <message>
        <source>The Pi finished.</source>
        <translation>Der Pi ist fertig.</translation>
    </message>
    <message>
        <source>The Pi stopped: %1 %2</source>
        <translation>Der Pi hat abgebrochen: %1 %2</translation>
    </message>
    <message>
        <source>%1 %2 %3</source>
        <translation>%1 %2 %3</translation>
    </message>
    <message>
        <source>Removed %1 (it did not exist before).</source>
        <translation>%1 entfernt (existierte vorher nicht).</translation>
    </message>
    <message>
        <source>The copy %1 cannot be the backup of %2.</source>
        <translation>Die Kopie %1 kann nicht die Sicherung von %2 sein.</translation>
    </message>
    <message>
        <source>The backup holds weewx.conf as it was before the weewx-mqtt install; its separate copy %1 was removed.</source>
        <translation>Die Sicherung enthält weewx.conf, wie sie vor der Installation von weewx-mqtt war; ihre eigene Kopie %1 wurde entfernt.</translation>
    </message>
    <message>
        <source>weewx logged: %1</source>
        <translation>weewx protokollierte: %1</translation>
    </message>
</context>
<context>
    <name>wmw::provisioning::Provisioner</name>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>The connection to the Pi was lost while it applied the files (%1). The Pi finishes on its own: it ends with all new files, or restores all old ones. Run apply again to see where it stands, or undo.</source>
        <translation>Die Verbindung zum Pi ging verloren, während er die Dateien anwendete (%1). Der Pi schließt selbstständig ab: Am Ende hat er entweder alle neuen Dateien, oder er stellt alle alten wieder her. Wenden Sie erneut an, um den Stand zu sehen, oder machen Sie die Änderungen rückgängig.</translation>
    </message>
    <message>
        <source>Not connected to the Pi.</source>
        <translation>Nicht mit dem Pi verbunden.</translation>
    </message>
    <message>
        <source>Looking at the Pi (WeeWX, weewx-mqtt, paho-mqtt, mosquitto).</source>
        <translation>Der Pi wird untersucht (WeeWX, weewx-mqtt, paho-mqtt, mosquitto).</translation>
    </message>
    <message>
        <source>Looking at the Pi failed</source>
        <translation>Untersuchung des Pi fehlgeschlagen</translation>
    </message>
    <message>
        <source>Could not check for weewx-mqtt and paho-mqtt: %1</source>
        <translation>Es konnte nicht geprüft werden, ob weewx-mqtt und paho-mqtt vorhanden sind: %1</translation>
    </message>
    <message>
        <source>The Pi&apos;s python paho-mqtt is %1: weewx-mqtt 0.24 publishes nothing with paho-mqtt 2.0. Install 1.6.1 (Debian&apos;s python3-paho-mqtt, or pip install &apos;paho-mqtt&lt;2&apos;).</source>
        <translation>Das Python-Paket paho-mqtt des Pi hat Version %1: weewx-mqtt 0.24 veröffentlicht mit paho-mqtt 2.0 nichts. Installieren Sie 1.6.1 (python3-paho-mqtt von Debian oder pip install &apos;paho-mqtt&lt;2&apos;).</translation>
    </message>
    <message>
        <source>weewx-mqtt is not installed on the Pi. It is installed with: %1</source>
        <translation>weewx-mqtt ist auf dem Pi nicht installiert. Es wird installiert mit: %1</translation>
    </message>
    <message>
        <source>Without it weewx stops when it reads the new weewx.conf, so nothing was changed.</source>
        <translation>Ohne weewx-mqtt beendet sich weewx beim Lesen der neuen weewx.conf, daher wurde nichts geändert.</translation>
    </message>
    <message>
        <source>Installing weewx-mqtt: %1</source>
        <translation>weewx-mqtt wird installiert: %1</translation>
    </message>
    <message>
        <source>Installing weewx-mqtt failed</source>
        <translation>Installation von weewx-mqtt fehlgeschlagen</translation>
    </message>
    <message>
        <source>The Pi could not install weewx-mqtt (%1). It downloads %2, so it needs internet access. Without it: download that archive on a computer with internet, copy it to the Pi and run there:
  sudo weectl extension install weewx-mqtt-master.zip
Nothing else was changed.</source>
        <translation>Der Pi konnte weewx-mqtt nicht installieren (%1). Dabei wird %2 heruntergeladen, daher ist ein Internetzugang nötig. Ohne Internetzugang: Laden Sie dieses Archiv auf einem Computer mit Internet herunter, kopieren Sie es auf den Pi und führen Sie dort aus:
  sudo weectl extension install weewx-mqtt-master.zip
Sonst wurde nichts geändert.</translation>
    </message>
    <message>
        <source>weewx-mqtt is installed.</source>
        <translation>weewx-mqtt ist installiert.</translation>
    </message>
    <message>
        <source>Reading the Pi&apos;s current files.</source>
        <translation>Die aktuellen Dateien des Pi werden gelesen.</translation>
    </message>
    <message>
        <source>Reading the Pi&apos;s files failed</source>
        <translation>Lesen der Dateien des Pi fehlgeschlagen</translation>
    </message>
    <message>
        <source>Dry run: nothing was changed.</source>
        <translation>Probelauf: Es wurde nichts geändert.</translation>
    </message>
    <message>
        <source>Every file is as planned: nothing to install, nothing to restart.</source>
        <translation>Alle Dateien entsprechen dem Plan: nichts zu installieren, nichts neu zu starten.</translation>
    </message>
    <message>
        <source>Restoring the backup on the Pi (one sudo run).</source>
        <translation>Sicherung wird auf dem Pi wiederhergestellt (ein sudo-Lauf).</translation>
    </message>
    <message>
        <source>Installing on the Pi (one sudo run): check, back up, install, restart, verify.</source>
        <translation>Installation auf dem Pi (ein sudo-Lauf): prüfen, sichern, installieren, neu starten, überprüfen.</translation>
    </message>
    <message>
        <source>Starting the apply failed</source>
        <translation>Das Anwenden konnte nicht gestartet werden</translation>
    </message>
    <message>
        <source>The apply script did not start on the Pi: %1</source>
        <translation>Das Anwendungsskript ist auf dem Pi nicht gestartet: %1</translation>
    </message>
    <message>
        <source>Following the apply</source>
        <translation>Verfolgen des Anwendens</translation>
    </message>
    <message>
        <source>The apply script did not start on the Pi (no progress after %1 s). Nothing was changed.</source>
        <translation>Das Anwendungsskript ist auf dem Pi nicht gestartet (kein Fortschritt nach %1 s). Es wurde nichts geändert.</translation>
    </message>
    <message>
        <source>The Pi did not finish applying within %1 s. It may still be working: run apply again later to see.</source>
        <translation>Der Pi hat das Anwenden nicht innerhalb von %1 s abgeschlossen. Möglicherweise arbeitet er noch: Wenden Sie später erneut an, um nachzusehen.</translation>
    </message>
    <message>
        <source>Nothing needed changing.</source>
        <translation>Es musste nichts geändert werden.</translation>
    </message>
    <message>
        <source>Done. Backup: %1/%2 (undo restores it).</source>
        <translation>Fertig. Sicherung: %1/%2 (Rückgängig machen stellt sie wieder her).</translation>
    </message>
    <message>
        <source>%1 changed on the Pi since it was read (edited meanwhile?). Nothing was changed: run apply again to plan against the new content.</source>
        <translation>%1 wurde auf dem Pi seit dem Lesen geändert (zwischenzeitlich bearbeitet?). Es wurde nichts geändert: Führen Sie apply erneut aus, um anhand des neuen Inhalts zu planen.</translation>
    </message>
    <message>
        <source>Another apply or undo is running on the Pi (process %1). Try again when it has finished.</source>
        <translation>Auf dem Pi läuft bereits ein anderer Anwenden- oder Rückgängig-Vorgang (Prozess %1). Versuchen Sie es erneut, wenn er beendet ist.</translation>
    </message>
    <message>
        <source>There is no backup of an apply to restore in %1.</source>
        <translation>In %1 gibt es keine Sicherung eines Anwendens, die wiederhergestellt werden könnte.</translation>
    </message>
    <message>
        <source>There is no backup named %1 in %2.</source>
        <translation>In %2 gibt es keine Sicherung namens %1.</translation>
    </message>
    <message>
        <source>Applying failed: %1 Restoring the old files did not complete either: check the Pi. The backup is in %2.</source>
        <translation>Anwenden fehlgeschlagen: %1 Auch das Wiederherstellen der alten Dateien wurde nicht abgeschlossen: Prüfen Sie den Pi. Die Sicherung liegt in %2.</translation>
    </message>
    <message>
        <source>Applying failed: %1 Every file was restored and the services run with the old files again.</source>
        <translation>Anwenden fehlgeschlagen: %1 Alle Dateien wurden wiederhergestellt, und die Dienste laufen wieder mit den alten Dateien.</translation>
    </message>
    <message>
        <source>Checking like the web page: %1 as %2, topic %3.</source>
        <translation>Prüfung wie die Webseite: %1 als %2, Topic %3.</translation>
    </message>
    <message>
        <source>Live data arrives on %1: publishing works.</source>
        <translation>Live-Daten kommen auf %1 an: Das Veröffentlichen funktioniert.</translation>
    </message>
    <message>
        <source>The files are installed, but the live check failed: %1 Fix: %2 (undo restores the old files.)</source>
        <translation>Die Dateien sind installiert, aber die Live-Prüfung ist fehlgeschlagen: %1 Abhilfe: %2 (Rückgängig machen stellt die alten Dateien wieder her.)</translation>
    </message>
    <message>
        <source>%1 is not a backup name (they look like 20250101T120000Z).</source>
        <translation>%1 ist kein Name einer Sicherung (diese sehen aus wie 20250101T120000Z).</translation>
    </message>
    <message>
        <source>Cancelled: nothing on the Pi was changed.</source>
        <translation>Abgebrochen: Auf dem Pi wurde nichts geändert.</translation>
    </message>
    <message>
        <source>weewx-mqtt stays installed and enabled in weewx.conf, which could not be put back (no connection). Its copy from before the install is %1 on the Pi: copy it over %2 and restart weewx.</source>
        <translation>weewx-mqtt bleibt installiert und in weewx.conf aktiviert; weewx.conf konnte nicht zurückgestellt werden (keine Verbindung). Ihre Kopie von vor der Installation liegt auf dem Pi unter %1: Kopieren Sie sie über %2 und starten Sie weewx neu.</translation>
    </message>
    <message>
        <source>Putting weewx.conf back as it was before the weewx-mqtt install.</source>
        <translation>weewx.conf wird wieder so hergestellt, wie sie vor der Installation von weewx-mqtt war.</translation>
    </message>
    <message>
        <source>weewx.conf is back as it was before the weewx-mqtt install: weewx-mqtt stays installed on the Pi but is not enabled.</source>
        <translation>weewx.conf ist wieder so wie vor der Installation von weewx-mqtt: weewx-mqtt bleibt auf dem Pi installiert, ist aber nicht aktiviert.</translation>
    </message>
    <message>
        <source>weewx.conf changed on the Pi after the weewx-mqtt install, so it was left as it is; its copy from before the install is %1.</source>
        <translation>weewx.conf wurde auf dem Pi nach der Installation von weewx-mqtt geändert und deshalb so gelassen; ihre Kopie von vor der Installation ist %1.</translation>
    </message>
    <message>
        <source>weewx-mqtt stays installed and enabled in weewx.conf: putting the old weewx.conf back failed (%1). Its copy from before the install is %2 on the Pi: copy it over %3 and restart weewx.</source>
        <translation>weewx-mqtt bleibt installiert und in weewx.conf aktiviert: Das Zurückstellen der alten weewx.conf ist fehlgeschlagen (%1). Ihre Kopie von vor der Installation liegt auf dem Pi unter %2: Kopieren Sie sie über %3 und starten Sie weewx neu.</translation>
    </message>
    <message>
        <source>weewx.conf is being put back as it was before the weewx-mqtt install.</source>
        <translation>weewx.conf wird auf den Stand vor der Installation von weewx-mqtt zurückgestellt.</translation>
    </message>
    <message numerus="yes">
        <source>Uploading %n file(s) into a private staging folder on the Pi.</source>
        <translation>
            <numerusform>%n Datei(en) werden in einen privaten Zwischenordner auf dem Pi hochgeladen.</numerusform>
            <numerusform>%n Datei(en) werden in einen privaten Zwischenordner auf dem Pi hochgeladen.</numerusform>
        </translation>
    </message>
    <message>
        <source>The Pi could not store the files in a private staging folder: %1</source>
        <translation>Der Pi konnte die Dateien nicht in einem privaten Zwischenordner ablegen: %1</translation>
    </message>
    <message>
        <source>The copy of weewx.conf from before the weewx-mqtt install is missing on the Pi; nothing was changed.</source>
        <translation>Die Kopie von weewx.conf aus der Zeit vor der Installation von weewx-mqtt fehlt auf dem Pi; nichts wurde geändert.</translation>
    </message>
    <message>
        <source>The connection to the Pi was lost before the files were sent: nothing was changed.</source>
        <translation>Die Verbindung zum Pi ist abgebrochen, bevor die Dateien gesendet waren: nichts wurde geändert.</translation>
    </message>
    <message>
        <source>The connection to the Pi was lost before weewx-mqtt was installed: nothing was changed.</source>
        <translation>Die Verbindung zum Pi ist abgebrochen, bevor weewx-mqtt installiert war: nichts wurde geändert.</translation>
    </message>
</context>
<context>
    <name>wmw::ssh::SshJob</name>
    <message>
        <source>The operation was cancelled.</source>
        <translation>Der Vorgang wurde abgebrochen.</translation>
    </message>
</context>
<context>
    <name>wmw::ssh::SshSession</name>
    <message>
        <source>Connecting to %1 took too long; gave up after %2 s.</source>
        <translation>Der Verbindungsaufbau zu %1 dauerte zu lange; nach %2 s abgebrochen.</translation>
    </message>
    <message>
        <source>No host name given.</source>
        <translation>Kein Hostname angegeben.</translation>
    </message>
    <message>
        <source>Connecting to %1 was cancelled.</source>
        <translation>Der Verbindungsaufbau zu %1 wurde abgebrochen.</translation>
    </message>
    <message>
        <source>Not connected to %1.</source>
        <translation>Nicht mit %1 verbunden.</translation>
    </message>
    <message>
        <source>the Pi</source>
        <translation>dem Pi</translation>
    </message>
    <message>
        <source>%1 did not answer within %2 s; the operation was stopped.</source>
        <translation>%1 hat nicht innerhalb von %2 s geantwortet; der Vorgang wurde abgebrochen.</translation>
    </message>
</context>
<context>
    <name>wmw::ssh::SshWorker</name>
    <message>
        <source>Passphrase of the SSH key</source>
        <translation>Passphrase des SSH-Schlüssels</translation>
    </message>
    <message>
        <source>The connection to %1 broke during the login: %2</source>
        <translation>Die Verbindung zu %1 ist während der Anmeldung abgebrochen: %2</translation>
    </message>
    <message>
        <source>%1 (accepted, but the server wants one more method)</source>
        <translation>%1 (akzeptiert, aber der Server verlangt eine weitere Methode)</translation>
    </message>
    <message>
        <source>ssh-agent</source>
        <translation>ssh-agent</translation>
    </message>
    <message>
        <source>ssh-agent (not reachable)</source>
        <translation>ssh-agent (nicht erreichbar)</translation>
    </message>
    <message>
        <source>ssh-agent (no key accepted)</source>
        <translation>ssh-agent (kein Schlüssel akzeptiert)</translation>
    </message>
    <message>
        <source>ssh-agent (none running)</source>
        <translation>ssh-agent (keiner läuft)</translation>
    </message>
    <message>
        <source>key file</source>
        <translation>Schlüsseldatei</translation>
    </message>
    <message>
        <source>key files (passphrase wrong or not given, or no key accepted)</source>
        <translation>Schlüsseldateien (Passphrase falsch oder nicht angegeben, oder kein Schlüssel akzeptiert)</translation>
    </message>
    <message>
        <source>key files (no key accepted)</source>
        <translation>Schlüsseldateien (kein Schlüssel akzeptiert)</translation>
    </message>
    <message>
        <source>Password of %1 on %2</source>
        <translation>Passwort von %1 auf %2</translation>
    </message>
    <message>
        <source>password (none given)</source>
        <translation>Passwort (keines angegeben)</translation>
    </message>
    <message>
        <source>password</source>
        <translation>Passwort</translation>
    </message>
    <message>
        <source>password (refused)</source>
        <translation>Passwort (abgelehnt)</translation>
    </message>
    <message>
        <source>nothing (no method this program supports)</source>
        <translation>nichts (keine Methode, die dieses Programm unterstützt)</translation>
    </message>
    <message>
        <source>%1 refused the login as %2. The server offers: %3. Tried: %4.</source>
        <translation>%1 hat die Anmeldung als %2 abgelehnt. Der Server bietet an: %3. Versucht: %4.</translation>
    </message>
    <message>
        <source>nothing</source>
        <translation>nichts</translation>
    </message>
    <message>
        <source>keyboard-interactive (no answer given)</source>
        <translation>keyboard-interactive (keine Antwort gegeben)</translation>
    </message>
    <message>
        <source>keyboard-interactive (answer not accepted by libssh)</source>
        <translation>keyboard-interactive (Antwort von libssh nicht angenommen)</translation>
    </message>
    <message>
        <source>keyboard-interactive (the server wants one more method)</source>
        <translation>keyboard-interactive (der Server verlangt eine weitere Methode)</translation>
    </message>
    <message>
        <source>keyboard-interactive (refused)</source>
        <translation>keyboard-interactive (abgelehnt)</translation>
    </message>
    <message>
        <source>Not connected to %1.</source>
        <translation>Nicht mit %1 verbunden.</translation>
    </message>
    <message>
        <source>%1 refused to open a session channel: %2</source>
        <translation>%1 hat das Öffnen eines Sitzungskanals abgelehnt: %2</translation>
    </message>
    <message>
        <source>%1 refused to run a command: %2</source>
        <translation>%1 hat die Ausführung eines Befehls abgelehnt: %2</translation>
    </message>
    <message>
        <source>Sending input to %1 failed: %2</source>
        <translation>Senden der Eingabe an %1 fehlgeschlagen: %2</translation>
    </message>
    <message>
        <source>The connection to %1 broke: %2</source>
        <translation>Die Verbindung zu %1 ist abgebrochen: %2</translation>
    </message>
    <message>
        <source>Reading from %1 failed: %2</source>
        <translation>Lesen von %1 fehlgeschlagen: %2</translation>
    </message>
    <message>
        <source>The sudo password contains a line break; sudo reads only one line.</source>
        <translation>Das sudo-Passwort enthält einen Zeilenumbruch; sudo liest nur eine Zeile.</translation>
    </message>
    <message>
        <source>this user</source>
        <translation>diesen Benutzer</translation>
    </message>
    <message>
        <source>%1 may not use sudo on %2.</source>
        <translation>Für %1 ist sudo auf %2 nicht erlaubt.</translation>
    </message>
    <message>
        <source>sudo does not work on %1: %2</source>
        <translation>sudo funktioniert auf %1 nicht: %2</translation>
    </message>
    <message>
        <source>sudo on %1: a password is required for %2, and none was given.</source>
        <translation>sudo auf %1: Für %2 ist ein Passwort erforderlich, aber es wurde keines angegeben.</translation>
    </message>
    <message>
        <source>sudo on %1 refused the password of %2 (&quot;Sorry, try again&quot;).</source>
        <translation>sudo auf %1 hat das Passwort für %2 abgelehnt (&quot;Sorry, try again&quot;).</translation>
    </message>
    <message>
        <source>A command for sudo contains a NUL byte.</source>
        <translation>Ein Befehl für sudo enthält ein NUL-Byte.</translation>
    </message>
    <message>
        <source>sudo on %1: a password is required for %2.</source>
        <translation>sudo auf %1: Für %2 ist ein Passwort erforderlich.</translation>
    </message>
    <message>
        <source>%1 offers no SFTP (is the sftp subsystem enabled in sshd_config?): %2</source>
        <translation>%1 bietet kein SFTP an (ist das sftp-Subsystem in sshd_config aktiviert?): %2</translation>
    </message>
    <message>
        <source>%1 on %2: %3 does not exist.</source>
        <translation>%1 auf %2: %3 existiert nicht.</translation>
    </message>
    <message>
        <source>%1 on %2: permission denied for %3.</source>
        <translation>%1 auf %2: Zugriff auf %3 verweigert.</translation>
    </message>
    <message>
        <source>%1 on %2: the connection broke.</source>
        <translation>%1 auf %2: Die Verbindung ist abgebrochen.</translation>
    </message>
    <message>
        <source>%1 on %2 failed for %3 (SFTP status %4): %5</source>
        <translation>%1 auf %2 für %3 fehlgeschlagen (SFTP-Status %4): %5</translation>
    </message>
    <message>
        <source>Reading a file</source>
        <translation>Lesen einer Datei</translation>
    </message>
    <message>
        <source>Writing a file</source>
        <translation>Schreiben einer Datei</translation>
    </message>
    <message>
        <source>A file name contains a NUL byte.</source>
        <translation>Ein Dateiname enthält ein NUL-Byte.</translation>
    </message>
    <message>
        <source>%1 on %2 failed for %3: %4</source>
        <translation>%1 auf %2 für %3 fehlgeschlagen: %4</translation>
    </message>
    <message>
        <source>Reading file information</source>
        <translation>Lesen der Dateiinformationen</translation>
    </message>
    <message>
        <source>Could not create an SSH session (out of memory?).</source>
        <translation>Es konnte keine SSH-Sitzung erstellt werden (kein Speicher mehr?).</translation>
    </message>
    <message>
        <source>Invalid host name &quot;%1&quot;: %2</source>
        <translation>Ungültiger Hostname „%1“: %2</translation>
    </message>
    <message>
        <source>Could not read the SSH configuration %1: %2</source>
        <translation>Die SSH-Konfiguration %1 konnte nicht gelesen werden: %2</translation>
    </message>
    <message>
        <source>~/.ssh/config</source>
        <translation>~/.ssh/config</translation>
    </message>
    <message>
        <source>Invalid port %1.</source>
        <translation>Ungültiger Port %1.</translation>
    </message>
    <message>
        <source>Invalid user name &quot;%1&quot;.</source>
        <translation>Ungültiger Benutzername „%1“.</translation>
    </message>
    <message>
        <source>Could not connect to %1: %2</source>
        <translation>Verbindung zu %1 nicht möglich: %2</translation>
    </message>
    <message>
        <source>%1 sent no usable host key: %2</source>
        <translation>%1 hat keinen verwendbaren Host-Schlüssel gesendet: %2</translation>
    </message>
    <message>
        <source>Could not hash the host key of %1.</source>
        <translation>Der Hash des Host-Schlüssels von %1 konnte nicht berechnet werden.</translation>
    </message>
    <message>
        <source>the line for %1</source>
        <translation>die Zeile für %1</translation>
    </message>
    <message>
        <source>line %1</source>
        <translation>Zeile %1</translation>
    </message>
    <message>
        <source>The host key of %1 has changed since it was saved: this may not be your Pi. If the Pi was reinstalled, remove %2 of %3 (or run: ssh-keygen -R &apos;%4&apos; -f %3) and connect again. The new key is %5 %6.</source>
        <translation>Der Host-Schlüssel von %1 hat sich seit dem Speichern geändert: Dies ist möglicherweise nicht Ihr Pi. Falls der Pi neu installiert wurde, entfernen Sie %2 aus %3 (oder führen Sie aus: ssh-keygen -R &apos;%4&apos; -f %3) und verbinden Sie sich erneut. Der neue Schlüssel ist %5 %6.</translation>
    </message>
    <message>
        <source>The host key of %1 (%2 %3) was not accepted; nothing was sent to it.</source>
        <translation>Der Host-Schlüssel von %1 (%2 %3) wurde nicht akzeptiert; es wurde nichts dorthin gesendet.</translation>
    </message>
    <message>
        <source>Could not add the host key of %1 to %2: %3</source>
        <translation>Der Host-Schlüssel von %1 konnte nicht zu %2 hinzugefügt werden: %3</translation>
    </message>
    <message>
        <source>Could not check the host key of %1 against %2: %3</source>
        <translation>Der Host-Schlüssel von %1 konnte nicht mit %2 abgeglichen werden: %3</translation>
    </message>
    <message>
        <source>key file %1</source>
        <translation>Schlüsseldatei %1</translation>
    </message>
    <message>
        <source>Could not create a channel (out of memory?).</source>
        <translation>Konnte keinen Kanal anlegen (kein Speicher mehr?).</translation>
    </message>
    <message>
        <source>no answer within %1 s</source>
        <translation>keine Antwort innerhalb von %1 s</translation>
    </message>
</context>
</TS>
