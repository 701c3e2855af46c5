#pragma once

#include <protocols/error.hpp>
#include <wallet/error.hpp>

#include <QString>

namespace nftterm::app {

/// The one conversion from an error to the words the window shows: the same
/// sentence the CLI prints (`Error::message()`), so a user who reports it
/// and a developer who reads the code see one text.
inline QString words(const protocols::Error& error)
{
    return QString::fromStdString(error.message());
}

inline QString words(const wallet::Error& error)
{
    return QString::fromStdString(error.message());
}

}  // namespace nftterm::app
