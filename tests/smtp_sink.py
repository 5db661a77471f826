"""A real SMTP server on loopback for the email tests, with ways to misbehave.

usage: smtp_sink.py MODE PORT MAILDIR
  normal          accept every message into MAILDIR
  tempfail-first  answer the first message with 451 (try again later), accept the rest
  hang            accept connections and never say anything (a stuck server)
Prints "ready" once listening.
"""

import asyncio
import mailbox
import sys
import threading


def main() -> None:
    mode, port, maildir = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    if mode == "hang":
        async def stall(reader, writer):
            await asyncio.sleep(3600)

        async def serve():
            server = await asyncio.start_server(stall, "127.0.0.1", port)
            print("ready", flush=True)
            await server.serve_forever()

        asyncio.run(serve())
        return

    from aiosmtpd.controller import Controller

    class Handler:
        def __init__(self) -> None:
            self.box = mailbox.Maildir(maildir, create=True)
            self.refused = False

        async def handle_DATA(self, server, session, envelope):
            if mode == "tempfail-first" and not self.refused:
                self.refused = True
                return "451 4.3.0 Try again later"
            self.box.add(envelope.original_content or envelope.content)
            return "250 OK"

    controller = Controller(Handler(), hostname="127.0.0.1", port=port)
    controller.start()
    print("ready", flush=True)
    threading.Event().wait()


if __name__ == "__main__":
    main()
