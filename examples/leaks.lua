-- leaks.lua -- the leak finder: goroutines blocked for longer than 10 ms,
-- grouped by wait reason and by where they were created. Fails (exit
-- status 1) if there are any, so it can gate CI.
--
--   gosched-repl -batch examples/leaks.lua examples/workload.go
--
-- The model only exists while the program is stopped, so the script stops
-- it as it ends (the event end: main returned, or os.Exit), with every
-- goroutine it leaves behind still in place.
local A = require "analysis"

gs.breakpoint{ on = "end" }
gs.assert(gs.run(), "the program did not end normally (a panic or a fatal error?)")

local leaks = A.blocked{ longer = 0.010 }
A.print(leaks, { "count", "waitreason", "createdat", "createdby", { "oldest", "oldest (s)" } })
gs.assert(#leaks == 0, #leaks .. " group(s) of goroutines blocked for more than 10 ms")
