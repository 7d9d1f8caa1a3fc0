// For profiling only (scripts/bench-profile): valgrind 3.19 crashes on the way
// libdispatch's dispatch_main() parks the main thread (pthread_exit, then a TSD
// destructor that sigsuspends), which Swift's async main uses on Linux. Preloaded
// into the server under valgrind, this dispatch_main drains the main queue on the
// main thread instead, as Foundation's run loop does. It changes where the main
// queue runs, not what the server does per request.
#include <poll.h>
#include <stdint.h>
#include <unistd.h>

extern void _dispatch_main_queue_callback_4CF(void *message);
extern int _dispatch_get_main_queue_handle_4CF(void);

void dispatch_main(void) {
    int handle = _dispatch_get_main_queue_handle_4CF();
    for (;;) {
        struct pollfd wait = {handle, POLLIN, 0};
        poll(&wait, 1, 50);
        uint64_t value;
        (void)read(handle, &value, sizeof value);
        _dispatch_main_queue_callback_4CF(0);
    }
}
