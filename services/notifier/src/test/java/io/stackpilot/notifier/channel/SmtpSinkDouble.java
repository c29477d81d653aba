package io.stackpilot.notifier.channel;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TEST DOUBLE of an SMTP server: it speaks enough of RFC 5321 (EHLO/HELO, AUTH PLAIN and LOGIN,
 * MAIL FROM, RCPT TO, DATA with dot-unstuffing, RSET, NOOP, QUIT) to record what a client sends,
 * and can be told to answer a command with a chosen reply. No STARTTLS, no relaying, no queue.
 */
final class SmtpSinkDouble implements AutoCloseable {

  /** One message as received: the envelope and the raw DATA (headers and body). */
  record Mail(String mailFrom, List<String> rcptTo, String data) {}

  private final ServerSocket server;
  private final List<Mail> mails = new CopyOnWriteArrayList<>();
  private final List<String> auths = new CopyOnWriteArrayList<>();
  private final Map<String, String> replies = new ConcurrentHashMap<>();
  private final Thread acceptor;

  private SmtpSinkDouble(ServerSocket server) {
    this.server = server;
    this.acceptor = new Thread(this::acceptLoop, "smtp-sink-double");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  static SmtpSinkDouble start() {
    try {
      return new SmtpSinkDouble(new ServerSocket(0, 10, InetAddress.getLoopbackAddress()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  int port() {
    return server.getLocalPort();
  }

  /** Answer this command (MAIL, RCPT, DATA: the reply after the message) with {@code reply}. */
  SmtpSinkDouble reply(String command, String reply) {
    replies.put(command, reply);
    return this;
  }

  List<Mail> mails() {
    return List.copyOf(mails);
  }

  /** Each AUTH as {@code user:password}, decoded. */
  List<String> auths() {
    return List.copyOf(auths);
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket socket = server.accept();
        Thread t = new Thread(() -> session(socket), "smtp-sink-double-session");
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        return;
      }
    }
  }

  private void session(Socket socket) {
    try (socket;
        BufferedReader in =
            new BufferedReader(
                new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
        OutputStream out = socket.getOutputStream()) {
      send(out, "220 sink.test ESMTP test double");
      String from = null;
      List<String> rcpt = new ArrayList<>();
      String line;
      while ((line = in.readLine()) != null) {
        String verb = line.split(" ", 2)[0].toUpperCase(Locale.ROOT);
        switch (verb) {
          case "EHLO":
            send(out, "250-sink.test\r\n250-AUTH PLAIN LOGIN\r\n250-8BITMIME\r\n250 SMTPUTF8");
            break;
          case "HELO":
            send(out, "250 sink.test");
            break;
          case "AUTH":
            auth(line, in, out);
            break;
          case "MAIL":
            if (replies.containsKey("MAIL")) {
              send(out, replies.get("MAIL"));
            } else {
              from = address(line);
              send(out, "250 2.1.0 Ok");
            }
            break;
          case "RCPT":
            if (replies.containsKey("RCPT")) {
              send(out, replies.get("RCPT"));
            } else {
              rcpt.add(address(line));
              send(out, "250 2.1.5 Ok");
            }
            break;
          case "DATA":
            send(out, "354 End data with <CR><LF>.<CR><LF>");
            StringBuilder data = new StringBuilder();
            String d;
            while ((d = in.readLine()) != null && !d.equals(".")) {
              data.append(d.startsWith(".") ? d.substring(1) : d).append("\r\n");
            }
            if (replies.containsKey("DATA")) {
              send(out, replies.get("DATA"));
            } else {
              mails.add(new Mail(from, List.copyOf(rcpt), data.toString()));
              send(out, "250 2.0.0 Ok: queued");
            }
            from = null;
            rcpt.clear();
            break;
          case "RSET":
            from = null;
            rcpt.clear();
            send(out, "250 2.0.0 Ok");
            break;
          case "NOOP":
            send(out, "250 2.0.0 Ok");
            break;
          case "QUIT":
            send(out, "221 2.0.0 Bye");
            return;
          default:
            send(out, "502 5.5.2 Command not recognized");
        }
      }
    } catch (IOException e) {
      // the client went away: nothing to record
    }
  }

  private void auth(String line, BufferedReader in, OutputStream out) throws IOException {
    String[] parts = line.split(" ");
    Base64.Decoder b64 = Base64.getDecoder();
    if (parts[1].equalsIgnoreCase("PLAIN")) {
      String encoded = parts.length > 2 ? parts[2] : null;
      if (encoded == null) {
        send(out, "334 ");
        encoded = in.readLine();
      }
      String[] fields = new String(b64.decode(encoded), StandardCharsets.UTF_8).split("\0");
      auths.add(fields[1] + ":" + fields[2]);
    } else {
      send(out, "334 VXNlcm5hbWU6");
      String user = new String(b64.decode(in.readLine()), StandardCharsets.UTF_8);
      send(out, "334 UGFzc3dvcmQ6");
      String password = new String(b64.decode(in.readLine()), StandardCharsets.UTF_8);
      auths.add(user + ":" + password);
    }
    send(out, replies.getOrDefault("AUTH", "235 2.7.0 Authentication successful"));
  }

  private static String address(String line) {
    int open = line.indexOf('<');
    int close = line.indexOf('>', open);
    return open < 0 || close < 0 ? "" : line.substring(open + 1, close);
  }

  private static void send(OutputStream out, String reply) throws IOException {
    out.write((reply + "\r\n").getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  @Override
  public void close() {
    try {
      server.close();
    } catch (IOException e) {
      // closing: nothing left to do
    }
  }
}
