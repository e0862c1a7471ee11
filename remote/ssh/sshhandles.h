// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Owning wrappers for every libssh handle: each is released exactly once, on every path.
#include <libssh/libssh.h>
#include <libssh/sftp.h>

#include <memory>

namespace wmw::ssh {

struct SessionDeleter
{
    void operator()(ssh_session session) const
    {
        // ssh_free() also closes the socket; ssh_disconnect() first says goodbye politely.
        if (ssh_is_connected(session))
            ssh_disconnect(session);
        ssh_free(session);
    }
};
struct ChannelDeleter
{
    void operator()(ssh_channel channel) const
    {
        if (ssh_channel_is_open(channel))
            ssh_channel_close(channel);
        ssh_channel_free(channel);
    }
};
struct SftpSessionDeleter
{
    void operator()(sftp_session sftp) const { sftp_free(sftp); }
};
struct SftpFileDeleter
{
    void operator()(sftp_file file) const { sftp_close(file); }
};
struct SftpDirDeleter
{
    void operator()(sftp_dir dir) const { sftp_closedir(dir); }
};
struct SftpAttributesDeleter
{
    void operator()(sftp_attributes attributes) const { sftp_attributes_free(attributes); }
};
struct KeyDeleter
{
    void operator()(ssh_key key) const { ssh_key_free(key); }
};
struct StringDeleter
{
    void operator()(char *text) const { ssh_string_free_char(text); }
};
struct HashDeleter
{
    void operator()(unsigned char *hash) const { ssh_clean_pubkey_hash(&hash); }
};

using SessionPtr = std::unique_ptr<ssh_session_struct, SessionDeleter>;
using ChannelPtr = std::unique_ptr<ssh_channel_struct, ChannelDeleter>;
using SftpSessionPtr = std::unique_ptr<sftp_session_struct, SftpSessionDeleter>;
using SftpFilePtr = std::unique_ptr<sftp_file_struct, SftpFileDeleter>;
using SftpDirPtr = std::unique_ptr<sftp_dir_struct, SftpDirDeleter>;
using SftpAttributesPtr = std::unique_ptr<sftp_attributes_struct, SftpAttributesDeleter>;
using KeyPtr = std::unique_ptr<ssh_key_struct, KeyDeleter>;
using SshStringPtr = std::unique_ptr<char, StringDeleter>;
using HashPtr = std::unique_ptr<unsigned char, HashDeleter>;

} // namespace wmw::ssh
