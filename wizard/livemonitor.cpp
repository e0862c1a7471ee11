// SPDX-License-Identifier: GPL-3.0-or-later
#include "wizard/livemonitor.h"

#include "wizard/logging.h"

#include <QCoreApplication>
#include <QHash>
#include <QHostInfo>
#include <QLocale>

namespace wmw {

using mqtt::LiveCheck;

namespace {

class Text
{
    Q_DECLARE_TR_FUNCTIONS(wmw::LiveMonitor)
public:
    static QString linkName(int link)
    {
        switch (link) {
        case LiveStatus::Laptop:
            return tr("This laptop");
        case LiveStatus::Name:
            return tr("Name");
        case LiveStatus::TcpPort:
            return tr("TCP port");
        case LiveStatus::WebSocket:
            return tr("Websocket");
        case LiveStatus::Login:
            return tr("MQTT login");
        case LiveStatus::Subscription:
            return tr("Subscription");
        case LiveStatus::Data:
            return tr("Data");
        case LiveStatus::Broker:
            return tr("Broker");
        case LiveStatus::Weewx:
            return tr("WeeWX");
        }
        return {};
    }

    static QString layerName(LiveCheck::Layer layer)
    {
        switch (layer) {
        case LiveCheck::Layer::None:
            return {};
        case LiveCheck::Layer::Input:
            return tr("the settings");
        case LiveCheck::Layer::Dns:
            return tr("name lookup (DNS)");
        case LiveCheck::Layer::Tcp:
            return tr("TCP connection");
        case LiveCheck::Layer::Tls:
            return tr("TLS (wss://)");
        case LiveCheck::Layer::WebSocket:
            return tr("websocket");
        case LiveCheck::Layer::Mqtt:
            return tr("MQTT");
        case LiveCheck::Layer::Authentication:
            return tr("MQTT login and permissions");
        case LiveCheck::Layer::Publishing:
            return tr("publishing (WeeWX and weewx-mqtt)");
        }
        return {};
    }

    static QStringList seriesLabels()
    {
        return {tr("Temperature"), tr("Humidity"), tr("Wind"), tr("Pressure"), tr("Rain")};
    }

    static QString windDetail(const QString &direction, const QString &gust)
    {
        if (!direction.isEmpty() && !gust.isEmpty())
            return tr("from %1°, gusts %2").arg(direction, gust);
        if (!direction.isEmpty())
            return tr("from %1°").arg(direction);
        if (!gust.isEmpty())
            return tr("gusts %1").arg(gust);
        return {};
    }

    static QString rainDetail(const QString &rate) { return tr("rate %1").arg(rate); }
    static QString today() { return tr("today"); }
};

// The observations of each tile, best first (weewx-mqtt sends what the station has).
const QList<QStringList> &seriesObservations()
{
    static const QList<QStringList> observations = {
            {QStringLiteral("outTemp")},
            {QStringLiteral("outHumidity")},
            {QStringLiteral("windSpeed")},
            {QStringLiteral("barometer"), QStringLiteral("pressure"), QStringLiteral("altimeter")},
            {QStringLiteral("dayRain"), QStringLiteral("rain")},
    };
    return observations;
}

// Readings as the page shows them: the user's decimal point, no group separator.
QLocale numberLocale()
{
    QLocale locale;
    locale.setNumberOptions(QLocale::OmitGroupSeparator);
    return locale;
}

QString formatted(const mqtt::Reading &reading)
{
    if (!reading.value)
        return reading.text;
    // Belchertown rounds to one decimal for most readings; pressure in inHg needs more.
    const int decimals = reading.unit.contains(u"inHg") || reading.unit == u"inch" ? 2 : 1;
    return numberLocale().toString(*reading.value, 'f', decimals);
}

QString withUnit(const mqtt::Reading &reading)
{
    const QString unit = LiveMonitor::displayUnit(reading.unit);
    return unit.isEmpty() ? formatted(reading) : formatted(reading) + u' ' + unit;
}

} // namespace

LiveStatus LiveStatus::initial()
{
    LiveStatus status;
    for (int link = 0; link < linkCount; ++link)
        status.chain.append(ChainLink{Text::linkName(link), {}, {}, ChainLink::State::Pending});
    for (const QString &label : Text::seriesLabels())
        status.readings.append(Series{label, {}, {}, {}, {}});
    return status;
}

LiveMonitor::LiveMonitor(QObject *parent)
    : QObject(parent)
    , m_status(LiveStatus::initial())
{
    connect(&m_check, &LiveCheck::stateChanged, this, &LiveMonitor::onStateChanged);
    connect(&m_check, &LiveCheck::progress, this, &LiveMonitor::onProgress);
    connect(&m_check, &LiveCheck::readingsChanged, this, &LiveMonitor::onReadings);
    connect(&m_check, &LiveCheck::finished, this, &LiveMonitor::onVerdict);
}

QString LiveMonitor::displayUnit(const QString &label)
{
    static const QHash<QString, QString> units = {
            {QStringLiteral("F"), QStringLiteral("°F")},
            {QStringLiteral("degree_F"), QStringLiteral("°F")},
            {QStringLiteral("C"), QStringLiteral("°C")},
            {QStringLiteral("degree_C"), QStringLiteral("°C")},
            {QStringLiteral("percent"), QStringLiteral("%")},
            {QStringLiteral("mph"), QStringLiteral("mph")},
            {QStringLiteral("mile_per_hour"), QStringLiteral("mph")},
            {QStringLiteral("kph"), QStringLiteral("km/h")},
            {QStringLiteral("km_per_hour"), QStringLiteral("km/h")},
            {QStringLiteral("mps"), QStringLiteral("m/s")},
            {QStringLiteral("meter_per_second"), QStringLiteral("m/s")},
            {QStringLiteral("knot"), QStringLiteral("kn")},
            {QStringLiteral("beaufort"), QStringLiteral("Bft")},
            {QStringLiteral("inHg"), QStringLiteral("inHg")},
            {QStringLiteral("inch_Hg"), QStringLiteral("inHg")},
            {QStringLiteral("mbar"), QStringLiteral("mbar")},
            {QStringLiteral("hPa"), QStringLiteral("hPa")},
            {QStringLiteral("kPa"), QStringLiteral("kPa")},
            {QStringLiteral("mmHg"), QStringLiteral("mmHg")},
            {QStringLiteral("inch"), QStringLiteral("in")},
            {QStringLiteral("mm"), QStringLiteral("mm")},
            {QStringLiteral("cm"), QStringLiteral("cm")},
            {QStringLiteral("inch_per_hour"), QStringLiteral("in/h")},
            {QStringLiteral("mm_per_hour"), QStringLiteral("mm/h")},
            {QStringLiteral("cm_per_hour"), QStringLiteral("cm/h")},
            {QStringLiteral("degree_compass"), QStringLiteral("°")},
    };
    return units.value(label, label);
}

bool LiveMonitor::isRunning() const
{
    return m_lookupId != -1 || m_check.state() == LiveCheck::State::Connecting
           || m_check.state() == LiveCheck::State::Waiting
           || m_check.state() == LiveCheck::State::Receiving;
}

void LiveMonitor::start(const config::StationProfile &profile, const config::Secrets &secrets)
{
    stop();
    m_status = LiveStatus::initial();
    m_connectSteps = 0;
    m_sinceStart.start();

    // Exactly what the page's Paho client does: ws[s]://host:port/mqtt, the web user's
    // login only when both user and password are set.
    m_options = {};
    m_options.url.setScheme(profile.pageSsl ? QStringLiteral("wss") : QStringLiteral("ws"));
    m_options.url.setHost(profile.pageHost());
    m_options.url.setPort(profile.pagePort());
    m_options.url.setPath(QStringLiteral("/mqtt"));
    const QString password =
            profile.sharesOneUser() ? secrets.publishPassword : secrets.webPassword;
    if (!profile.webUser.isEmpty() && !password.isEmpty()) {
        m_options.userName = profile.webUser;
        m_options.password = password.toUtf8();
    }
    m_options.topic = profile.pageTopic();
    m_options.stopAtFirstLoop = false;
    m_options.messageTimeoutMs = m_messageTimeoutMs;

    m_status.url = m_options.url.toString(QUrl::RemoveUserInfo);
    m_status.state = LiveCheck::State::Connecting;
    m_status.chain[LiveStatus::Laptop].state = ChainLink::State::Ok;
    m_status.chain[LiveStatus::Name].detail = profile.pageHost();
    m_status.chain[LiveStatus::Name].state = ChainLink::State::Active;
    m_status.chain[LiveStatus::TcpPort].detail = QString::number(profile.pagePort());
    m_status.chain[LiveStatus::Subscription].detail = m_options.topic;
    m_status.chain[LiveStatus::Login].detail =
            m_options.userName ? *m_options.userName : tr("anonymous");
    // The name is looked up here first so the chain can show what it resolves to; the check
    // itself looks it up again and owns the verdict when it does not resolve.
    m_lookupId = QHostInfo::lookupHost(profile.pageHost(), this, &LiveMonitor::onLookedUp);
    emit statusChanged();
}

void LiveMonitor::stop()
{
    if (m_lookupId != -1) {
        QHostInfo::abortHostLookup(m_lookupId);
        m_lookupId = -1;
    }
    if (m_check.state() != LiveCheck::State::Idle && m_check.state() != LiveCheck::State::Failed
        && m_check.state() != LiveCheck::State::Lost)
        m_check.stop();
}

void LiveMonitor::present(const LiveStatus &status)
{
    stop();
    m_status = status;
    emit statusChanged();
}

void LiveMonitor::onLookedUp(const QHostInfo &info)
{
    m_lookupId = -1;
    if (info.error() == QHostInfo::NoError && !info.addresses().isEmpty()) {
        const QString name = m_status.chain[LiveStatus::Name].detail;
        const QString address = info.addresses().constFirst().toString();
        if (address != name)
            m_status.chain[LiveStatus::Name].detail = name + u" → " + address;
        setLink(LiveStatus::Name, ChainLink::State::Ok);
        setLink(LiveStatus::TcpPort, ChainLink::State::Active);
    }
    m_check.start(m_options);
}

void LiveMonitor::setLink(int link, ChainLink::State state, const QString &reason)
{
    m_status.chain[link].state = state;
    m_status.chain[link].reason = reason;
}

void LiveMonitor::onProgress(const QString &step)
{
    m_status.log.append(QLocale().toString(QTime::currentTime(), QLocale::ShortFormat) + u"  "
                        + step);
    // LiveCheck reports its connect steps in order: TCP, websocket, CONNACK.
    if (m_check.state() == LiveCheck::State::Connecting) {
        static const int order[] = {LiveStatus::Name, LiveStatus::TcpPort, LiveStatus::WebSocket,
                                    LiveStatus::Login, LiveStatus::Subscription};
        ++m_connectSteps;
        if (m_connectSteps < 4) {
            for (int i = 0; i <= m_connectSteps; ++i)
                setLink(order[i], ChainLink::State::Ok);
            setLink(order[m_connectSteps + 1], ChainLink::State::Active);
        }
    }
    emit statusChanged();
}

void LiveMonitor::onStateChanged(LiveCheck::State state)
{
    using S = ChainLink::State;
    m_status.state = state;
    if (state == LiveCheck::State::Waiting) {
        for (int link = LiveStatus::Laptop; link <= LiveStatus::Subscription; ++link)
            setLink(link, S::Ok);
        for (int link : {LiveStatus::Data, LiveStatus::Broker, LiveStatus::Weewx})
            setLink(link, S::Active);
    } else if (state == LiveCheck::State::Receiving) {
        for (int link = 0; link < LiveStatus::linkCount; ++link)
            setLink(link, S::Ok);
    }
    if (state != LiveCheck::State::Failed && state != LiveCheck::State::Lost)
        emit statusChanged(); // a verdict is shown by onVerdict(), with its reason
}

void LiveMonitor::onReadings()
{
    const mqtt::LoopMessage &loop = m_check.latest();
    m_status.loopCount = m_check.loopCount();
    m_status.lastData = loop.dateTime().isValid() ? loop.dateTime().toLocalTime()
                                                  : m_check.lastReceivedAt().toLocalTime();
    const double seconds = m_sinceStart.elapsed() / 1000.0;
    const QList<QStringList> &observations = seriesObservations();
    for (int i = 0; i < observations.size(); ++i) {
        for (const QString &observation : observations.at(i)) {
            const std::optional<mqtt::Reading> reading = loop.reading(observation);
            if (!reading)
                continue;
            LiveStatus::Series &series = m_status.readings[i];
            series.valueText = formatted(*reading);
            series.unit = displayUnit(reading->unit);
            // weewx-mqtt sends humidity without a unit label ("outHumidity"): it is percent.
            if (i == 1 && series.unit.isEmpty()) {
                series.unit = QStringLiteral("%");
                if (reading->value)
                    series.valueText = numberLocale().toString(*reading->value, 'f', 0);
            }
            if (reading->value) {
                series.points.append(QPointF(seconds, *reading->value));
                // A day of loop packets every 2 s; older points add nothing to a small chart.
                if (series.points.size() > 43200)
                    series.points.removeFirst();
            }
            break;
        }
    }
    const auto direction = loop.reading(QStringLiteral("windDir"));
    const auto gust = loop.reading(QStringLiteral("windGust"));
    m_status.readings[2].detail = Text::windDetail(direction ? formatted(*direction) : QString(),
                                                   gust ? withUnit(*gust) : QString());
    const auto rate = loop.reading(QStringLiteral("rainRate"));
    m_status.readings[4].detail =
            rate ? Text::rainDetail(withUnit(*rate))
                 : (loop.reading(QStringLiteral("dayRain")) ? Text::today() : QString());
    emit statusChanged();
}

void LiveMonitor::onVerdict()
{
    using S = ChainLink::State;
    using F = LiveCheck::Failure;
    m_status.state = m_check.state();
    if (m_status.state == LiveCheck::State::Receiving) {
        emit statusChanged();
        return;
    }
    m_status.layer = Text::layerName(m_check.layer());
    m_status.message = m_check.message();
    m_status.fix = m_check.fix();
    qCInfo(lcWizard) << "live check:" << LiveCheck::failureId(m_check.failure());

    int failing = LiveStatus::Data;
    switch (m_check.layer()) {
    case LiveCheck::Layer::None:
    case LiveCheck::Layer::Input:
        failing = LiveStatus::Laptop;
        break;
    case LiveCheck::Layer::Dns:
        failing = LiveStatus::Name;
        break;
    case LiveCheck::Layer::Tcp:
        failing = LiveStatus::TcpPort;
        break;
    case LiveCheck::Layer::Tls:
    case LiveCheck::Layer::WebSocket:
        failing = LiveStatus::WebSocket;
        break;
    case LiveCheck::Layer::Mqtt:
        failing = LiveStatus::Login;
        break;
    case LiveCheck::Layer::Authentication:
        failing = m_check.failure() == F::SubscribeRefused ? LiveStatus::Subscription
                                                           : LiveStatus::Login;
        break;
    case LiveCheck::Layer::Publishing:
        // Messages that arrived prove the broker; only their content or absence is wrong.
        if (m_check.failure() == F::ArchiveOnly || m_check.failure() == F::NotLoopData
            || m_status.state == LiveCheck::State::Lost) {
            failing = LiveStatus::Weewx;
            setLink(LiveStatus::Broker, S::Ok);
        }
        break;
    }
    // Links after a break in the forward chain were never reached.
    if (failing <= LiveStatus::Subscription) {
        for (int link = failing + 1; link < LiveStatus::linkCount; ++link)
            setLink(link, S::Pending);
    }
    setLink(failing, S::Failed, m_status.message);
    emit statusChanged();
}

} // namespace wmw
