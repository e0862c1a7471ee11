// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QWizardPage>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QRadioButton;
class QTreeWidget;

namespace wmw {

class WizardController;

/// The export: format, destination (remembered), what goes in (the Pi's weewx.conf or a
/// chosen copy, the opt-in plain-text password file), then the bundle is written and its
/// files are listed with where it went.
class ExportPage : public QWizardPage
{
    Q_OBJECT
public:
    explicit ExportPage(WizardController *controller, QWidget *parent = nullptr);

    void initializePage() override;
    int nextId() const override { return -1; }

private:
    void storeSettings();
    void showStatus();
    void chooseDestination();
    void chooseWeewxConf();

    WizardController *m_controller = nullptr;
    QComboBox *m_format = nullptr;
    QLineEdit *m_destination = nullptr;
    QRadioButton *m_weewxFromPi = nullptr;
    QRadioButton *m_weewxFromFile = nullptr;
    QRadioButton *m_weewxNone = nullptr;
    QLineEdit *m_weewxFile = nullptr;
    QCheckBox *m_reference = nullptr;
    QPushButton *m_write = nullptr;
    QLabel *m_result = nullptr;
    QTreeWidget *m_files = nullptr;
    QPushButton *m_openFolder = nullptr;
    bool m_loading = false;
};

} // namespace wmw
