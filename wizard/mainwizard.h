// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QWizard>

namespace wmw {

/// The program's one window. Pages are thin: they register fields and branch in nextId();
/// side effects belong to a controller, never to a page.
class MainWizard : public QWizard
{
    Q_OBJECT
public:
    /// Page ids, in the order a user meets them. The names double as screenshot file names.
    enum Page {
        Welcome,
        PiConnection,
        Diagnosis,
        Export,
    };
    Q_ENUM(Page)

    /// The three jobs the welcome page offers.
    enum class Job {
        Provision,
        Diagnose,
        Export,
    };
    Q_ENUM(Job)

    explicit MainWizard(QWidget *parent = nullptr);

    /// File name (without extension) for a page, e.g. "welcome" or "pi-connection".
    static QString pageFileName(int pageId);
};

} // namespace wmw
