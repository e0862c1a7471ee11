# SPDX-License-Identifier: GPL-3.0-or-later
# The generated password, acl and listener files, loaded and enforced by a real mosquitto.
if(TARGET wmw_testsupport)
    wmw_add_test(tst_brokerfiles SOURCES tst_brokerfiles.cpp LIBS config wmw_testsupport
        LABELS broker)
endif()
