# SPDX-License-Identifier: GPL-3.0-or-later
# The pure MQTT 3.1.1 codec against the specification's byte tables.
wmw_add_test(tst_mqttcodec SOURCES tst_mqttcodec.cpp LIBS remote)
