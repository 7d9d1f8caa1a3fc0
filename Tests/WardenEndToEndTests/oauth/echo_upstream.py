#!/usr/bin/env python3
"""A tiny upstream application behind nginx for the forward-auth tests (SPEC §13):
answers every GET with the identity headers nginx passed on from Warden's decision.

Usage: echo_upstream.py PORT
"""
import http.server
import sys


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        body = "upstream user={} token={}\n".format(
            self.headers.get("X-Warden-User"), self.headers.get("X-Warden-Token-Id")).encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *arguments):
        pass


http.server.HTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
