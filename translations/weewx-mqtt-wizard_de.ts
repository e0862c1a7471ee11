<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>CommandLine</name>
    <message>
        <source>Gives the Belchertown page of a WeeWX station live updates over MQTT websockets: sets up the Raspberry Pi over SSH, diagnoses a failing live page, or exports a config bundle.

Without a command, the wizard starts.</source>
        <translation>Versorgt die Belchertown-Seite einer WeeWX-Station über MQTT-Websockets mit Live-Daten: richtet den Raspberry Pi über SSH ein, untersucht eine nicht funktionierende Live-Seite oder exportiert ein Konfigurationspaket.

Ohne Befehl startet der Assistent.</translation>
    </message>
    <message>
        <source>Language of the program, e.g. "de" (default: the system's).</source>
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
        <source>Unknown command "%1". Run with --help for the list.</source>
        <translation>Unbekannter Befehl „%1“. Die Liste zeigt --help.</translation>
    </message>
    <message>
        <source>Screenshots failed: %1</source>
        <translation>Bildschirmfotos fehlgeschlagen: %1</translation>
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
    <name>wmw::MainWizard</name>
    <message>
        <source>WeeWX MQTT Wizard</source>
        <translation>WeeWX-MQTT-Assistent</translation>
    </message>
    <message>
        <source>Set up live updates</source>
        <translation>Live-Aktualisierung einrichten</translation>
    </message>
    <message>
        <source>Connecting to the Raspberry Pi and provisioning mosquitto, weewx-mqtt and Belchertown are not built yet.</source>
        <translation>Die Verbindung zum Raspberry Pi und die Einrichtung von mosquitto, weewx-mqtt und Belchertown sind noch nicht gebaut.</translation>
    </message>
    <message>
        <source>Diagnose a live page</source>
        <translation>Live-Seite untersuchen</translation>
    </message>
    <message>
        <source>The diagnosis of a failing Belchertown live page is not built yet.</source>
        <translation>Die Untersuchung einer nicht funktionierenden Belchertown-Live-Seite ist noch nicht gebaut.</translation>
    </message>
    <message>
        <source>Export a config bundle</source>
        <translation>Konfigurationspaket exportieren</translation>
    </message>
    <message>
        <source>Exporting a config bundle is not built yet.</source>
        <translation>Der Export eines Konfigurationspakets ist noch nicht gebaut.</translation>
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
        <source>The page says "Failed connecting" or waits for data forever: finds out which part fails and why, with the evidence and the fix.</source>
        <translation>Die Seite meldet „Failed connecting“ oder wartet endlos auf Daten: findet heraus, welcher Teil versagt und warum, mit Beleg und Abhilfe.</translation>
    </message>
    <message>
        <source>Writes the same files into an archive with an install script, to apply by hand or with Ansible.</source>
        <translation>Schreibt dieselben Dateien mit einem Installationsskript in ein Archiv, zum Anwenden von Hand oder mit Ansible.</translation>
    </message>
</context>
</TS>
