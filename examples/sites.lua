-- sites.lua -- the top creation sites: goroutines created over the whole run
-- by go statement (counted by a probe at each create, the program never
-- stopping), and the goroutines still alive at the end by site.
--
--   gosched-repl -batch examples/sites.lua examples/workload.go
local A = require "analysis"

local created = A.count_creates()
gs.breakpoint{ on = "end" }
gs.run()

print("created during the run:")
A.print(A.top(created, 5), { "count", { "key", "site" } })
print("alive at the end:")
A.print(A.sites{ top = 5 }, { "count", { "key", "site" } })
gs.cont()
