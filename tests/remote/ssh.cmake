# SPDX-License-Identifier: GPL-3.0-or-later
# SshSession against a real sshd in a private mount namespace (tests/support/sshserver).
wmw_add_test(tst_shellquote SOURCES tst_shellquote.cpp LIBS remote LABELS ssh)
wmw_add_test(tst_sshhostkey SOURCES tst_sshhostkey.cpp LIBS remote wmw_testsupport LABELS ssh
    ENV SSH_AUTH_SOCK=)
wmw_add_test(tst_sshcommands SOURCES tst_sshcommands.cpp LIBS remote wmw_testsupport LABELS ssh
    ENV SSH_AUTH_SOCK=)
wmw_add_test(tst_sshsftp SOURCES tst_sshsftp.cpp LIBS remote wmw_testsupport LABELS ssh
    ENV SSH_AUTH_SOCK=)
wmw_add_test(tst_sshauth SOURCES tst_sshauth.cpp LIBS remote wmw_testsupport LABELS ssh
    ENV SSH_AUTH_SOCK=)
wmw_add_test(tst_sshconnect SOURCES tst_sshconnect.cpp LIBS remote LABELS ssh ENV SSH_AUTH_SOCK=)
