#pragma once
// How connections end after the server has said its last word.

#include "ordergate/http/message.hpp"

#include <boost/beast/core/tcp_stream.hpp>

#include <chrono>
#include <memory>

namespace ordergate::http {

class server_state;

/// Half-closes the connection and discards what the client still sends (at most
/// 64 KiB, for at most `limit`) before closing. Closing with unread input makes the
/// kernel send a reset, which can destroy the answer we just wrote before the client
/// reads it; this gives the client time to read it.
asio::awaitable<void> close_gracefully(beast::tcp_stream& stream, std::chrono::milliseconds limit);

/// Answers a connection over max_connections with one 503 and closes it. Runs on the
/// socket's executor; not counted as an open connection.
void refuse_connection(std::shared_ptr<server_state> state, tcp::socket socket);

}  // namespace ordergate::http
