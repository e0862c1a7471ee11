# SPDX-License-Identifier: GPL-3.0-or-later
# The bundle's merge of our MQTT users into the Pi's acl and password files, run by the real
# /usr/bin/python3 on sample files.
wmw_add_test(tst_bundlemerge SOURCES tst_bundlemerge.cpp LIBS config LABELS config export)
