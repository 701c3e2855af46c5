#pragma once

namespace nftterm::tests {

/// A TCP socket bound to 127.0.0.1 on a port the kernel chose; `port` gets
/// that port. The caller owns (and closes) the socket.
int bind_loopback(int& port);

/// A loopback port that was free a moment ago (nothing listens on it).
int free_loopback_port();

}  // namespace nftterm::tests
