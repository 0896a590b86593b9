-- analysis.lua -- scheduler analyses for batch scripts and the prompt.
--
--   gosched-repl -batch examples/leaks.lua examples/workload.go
--
-- Load it with `local A = require "analysis"` (gosched-repl puts its Lua
-- directory on package.path). Two kinds of function:
--
-- At a stop, over the model (g, p, sched, stop):
--   A.blocked{longer = S, system = false}    goroutines waiting longer than S
--       seconds, grouped by wait reason and creation site: the leak finder
--   A.imbalance()                            run-queue lengths across Ps
--   A.starving{longer = S}                   goroutines runnable longer than S,
--       and where each waits: "P1 runq", "P1 runnext", "global", or "-" (in
--       no queue at this stop: on its way to one, or taken from one to run)
--   A.sites{top = N, by = "createdat"}       live goroutines by creation site
--
-- Over a run, as probes: Lua functions the REPL calls at the events of their
-- kinds from the runtime's light check (the program never stops for them):
--   A.count_creates()         -> t: t[site] = goroutines created there
--   A.runnable_waits{longer = S} -> list of {id, startfn, waited} for each
--       time a goroutine waited runnable longer than S before it started
--   A.every(n, fn)            step n events at a time until the program ends,
--                             calling fn() at each stop (sampling)
--
-- Helpers: A.top(t, n) turns a count table into sorted {key, count} rows;
-- A.print(rows, columns) prints rows as an aligned table; A.seconds(ns).
--
-- An option of the wrong type, or one a function does not take, is an
-- error at the caller's line. Goroutine 1, which no go statement made, is
-- "(main goroutine)" where a creation site is asked for.
--
-- Times: the model's g.since is when a hook last saw the goroutine change
-- state (nanoseconds on the clock of stop.now and ev.time); a goroutine
-- whose since is 0 changed state before the debugger attached, and its age
-- is unknown (left out unless unknown = true).

local A = {}

local NS = 1e9

function A.seconds(ns)
	return ns / NS
end

-- The functions that read the model need a stop: said at the caller's line.
local function need_stop(name)
	if g == nil or sched == nil then
		error("analysis: " .. name .. " reads the model, and the program is not stopped "
			.. "(at a stop: after gs.start(), or when gs.run() or gs.cont() returns an event)", 3)
	end
end

-- The options of function NAME: nil or a table whose fields are among
-- KINDS (field = "number", "count", "boolean", or a list of the strings it
-- may be); an error at the caller's line otherwise. Returns the table.
local function options(name, opts, kinds)
	if opts == nil then
		return {}
	end
	if type(opts) ~= "table" then
		local names = {}
		for k in pairs(kinds) do names[#names + 1] = k end
		table.sort(names)
		error(("analysis: %s takes a table of options (as in A.%s{%s = ...}), not a %s")
			:format(name, name, names[1], type(opts)), 3)
	end
	for k, v in pairs(opts) do
		local want = kinds[k]
		local ok = want == "number" and type(v) == "number"
			or want == "count" and math.type(v) == "integer" and v >= 0
			or want == "boolean" and type(v) == "boolean"
			or type(want) == "table" and type(v) == "string"
		if type(want) == "table" and ok then
			ok = false
			for _, w in ipairs(want) do ok = ok or v == w end
		end
		if not want then
			error(("analysis: %s has no option %s"):format(name, tostring(k)), 3)
		elseif not ok then
			local what = type(want) == "table" and table.concat(want, ", ")
				or want == "count" and "a whole number >= 0" or "a " .. want
			local got = type(v) == "string" and ("%q"):format(v) or tostring(v)
			error(("analysis: %s: %s must be %s, not %s"):format(name, k, what, got), 3)
		end
	end
	return opts
end

-- Where goroutine G was created, for grouping: its go statement's file:line
-- (or the field BY), "(main goroutine)" for goroutine 1, or "?".
local function site(G, by)
	return G[by or "createdat"] or (G.id == 1 and "(main goroutine)") or "?"
end

local SITE_BY = { "createdat", "createdby", "startfn" }

-- How long goroutine G has been in its state, in seconds, or nil.
local function age(G)
	local since = G.since or 0
	if since == 0 or not stop or not stop.now then
		return nil
	end
	return (stop.now - since) / NS
end
A.age = age

-- Rows {key, count} of the count table T, the largest first (at most N).
function A.top(t, n)
	if type(t) ~= "table" or (n ~= nil and (math.type(n) ~= "integer" or n < 0)) then
		error("analysis: top takes a count table and, if any, a whole number >= 0", 2)
	end
	local rows = {}
	for k, c in pairs(t) do
		rows[#rows + 1] = { key = k, count = c }
	end
	table.sort(rows, function(a, b)
		if a.count ~= b.count then
			return a.count > b.count
		end
		return tostring(a.key) < tostring(b.key)
	end)
	while n and #rows > n do
		rows[#rows] = nil
	end
	return rows
end

-- Print ROWS (tables) as a table of COLUMNS ({name, ...} or {{name, title}, ...}).
function A.print(rows, columns)
	if type(rows) ~= "table" or type(columns) ~= "table" then
		error("analysis: print takes a list of rows and a list of columns", 2)
	end
	local cols, width, text = {}, {}, {}
	for i, c in ipairs(columns) do
		cols[i] = type(c) == "table" and c or { c, c }
		width[i] = #cols[i][2]
	end
	local function cell(v)
		if type(v) == "number" and math.type(v) == "float" then
			return string.format("%.4f", v)
		end
		return tostring(v == nil and "" or v)
	end
	for r, row in ipairs(rows) do
		text[r] = {}
		for i, c in ipairs(cols) do
			text[r][i] = cell(row[c[1]])
			width[i] = math.max(width[i], #text[r][i])
		end
	end
	local function line(cells)
		local out = {}
		for i, v in ipairs(cells) do
			out[i] = i == #cells and v or v .. string.rep(" ", width[i] - #v)
		end
		print(table.concat(out, "  "))
	end
	local head = {}
	for i, c in ipairs(cols) do
		head[i] = c[2]
	end
	line(head)
	for _, cells in ipairs(text) do
		line(cells)
	end
end

-- Group the list ITEMS by KEY(item): rows {key, count, items}, the largest
-- first.
local function group(items, key)
	local by, rows = {}, {}
	for _, it in ipairs(items) do
		local k = key(it)
		if not by[k] then
			by[k] = { key = k, count = 0, items = {} }
			rows[#rows + 1] = by[k]
		end
		by[k].count = by[k].count + 1
		table.insert(by[k].items, it)
	end
	table.sort(rows, function(a, b)
		if a.count ~= b.count then
			return a.count > b.count
		end
		return a.key < b.key
	end)
	return rows
end

-- The leak finder: goroutines waiting for longer than opts.longer seconds
-- (default 0), grouped by wait reason and creation site. System goroutines
-- are left out unless opts.system. Rows: {waitreason, createdat, createdby,
-- count, oldest (seconds), ids}.
function A.blocked(opts)
	need_stop("blocked")
	opts = options("blocked", opts, { longer = "number", system = "boolean", unknown = "boolean" })
	local longer, list = opts.longer or 0, {}
	for _, G in pairs(g) do
		local a = age(G)
		if G.status == "waiting" and (opts.system or not G.system)
			and ((a and a >= longer) or (not a and opts.unknown)) then
			list[#list + 1] = G
		end
	end
	local rows = group(list, function(G)
		return (G.waitreason or "?") .. "\0" .. site(G)
	end)
	for _, r in ipairs(rows) do
		local G = r.items[1]
		r.waitreason, r.createdat, r.createdby = G.waitreason, site(G), site(G, "createdby")
		r.ids, r.oldest = {}, 0
		for i, x in ipairs(r.items) do
			r.ids[i] = x.id
			r.oldest = math.max(r.oldest, age(x) or 0)
		end
		table.sort(r.ids)
		r.items = nil
	end
	return rows
end

-- Run-queue lengths across Ps: {lens = {[p] = n}, total, max, min, maxp,
-- minp, spread = max - min, global = #sched.runq}. runnext counts as one.
function A.imbalance()
	need_stop("imbalance")
	local r = { lens = {}, total = 0, global = #sched.runq }
	for id, P in pairs(p) do
		local n = #P.runq + (P.runnext and 1 or 0)
		r.lens[id] = n
		r.total = r.total + n
		if not r.max or n > r.max then
			r.max, r.maxp = n, id
		end
		if not r.min or n < r.min then
			r.min, r.minp = n, id
		end
	end
	r.spread = (r.max or 0) - (r.min or 0)
	return r
end

-- Where a runnable goroutine waits: "P1 runq", "P1 runnext", "global" (in
-- the set GLOBAL of sched.runq's ids), or "-": in no queue at this stop
-- (on its way to one, or just taken from one to run).
local function queue_of(G, global)
	if G.p then
		return "P" .. G.p.id .. (G.p.runnext == G and " runnext" or " runq")
	end
	return global[G.id] and "global" or "-"
end

-- Goroutines runnable for longer than opts.longer seconds at this stop:
-- {id, startfn, waited (seconds), queue}, the longest first.
function A.starving(opts)
	need_stop("starving")
	opts = options("starving", opts, { longer = "number" })
	local longer, rows, global = opts.longer or 0, {}, {}
	for _, G in ipairs(sched.runq) do
		global[G.id] = true
	end
	for _, G in pairs(g) do
		local a = age(G)
		if G.status == "runnable" and a and a >= longer then
			rows[#rows + 1] = { id = G.id, startfn = G.startfn, waited = a, queue = queue_of(G, global) }
		end
	end
	table.sort(rows, function(x, y) return x.waited > y.waited end)
	return rows
end

-- Live goroutines counted by creation site (opts.by: "createdat", the
-- default, or "createdby" or "startfn"); the top opts.top rows {key, count}.
function A.sites(opts)
	need_stop("sites")
	opts = options("sites", opts, { top = "count", by = SITE_BY, system = "boolean" })
	local counts = {}
	for _, G in pairs(g) do
		if opts.system or not G.system then
			local k = site(G, opts.by)
			counts[k] = (counts[k] or 0) + 1
		end
	end
	return A.top(counts, opts.top)
end

-- A probe: FN(ev) runs at every event of KINDS, from the light check (it
-- may read ev, its G, P and M, not the rest of the scheduler); the program
-- does not stop. Returns the breakpoint's number (gs.delete ends it).
function A.probe(kinds, fn)
	return gs.breakpoint{ on = kinds, tier = "event", cond = function(ev)
		fn(ev)
		return false
	end }
end

-- Count goroutine creations by site over the run: t[site] = count.
function A.count_creates(by)
	options("count_creates", by ~= nil and { by = by } or nil, { by = SITE_BY })
	local t = {}
	A.probe("create", function(ev)
		local k = site(ev.g, by)
		t[k] = (t[k] or 0) + 1
	end)
	return t
end

-- Record every wait of a runnable goroutine longer than opts.longer seconds
-- over the run: it became runnable (create, ready, preempt, yield, or back
-- from a system call with no P to run on) and waited until it started.
-- Returns the list the waits go into. A wait that has not ended (the
-- goroutine is still runnable) is not in it: A.starving at a stop lists
-- those.
function A.runnable_waits(opts)
	opts = options("runnable_waits", opts, { longer = "number" })
	local longer, since, waits = (opts.longer or 0) * NS, {}, {}
	A.probe("create ready preempt yield sysret start", function(ev)
		local id = ev.g and ev.g.id
		if not id or (ev.kind == "sysret" and ev.g.status ~= "runnable") then
			return -- (a system call's return on a P: it runs on)
		end
		if ev.kind ~= "start" then
			since[id] = ev.time
		elseif since[id] then
			local w = ev.time - since[id]
			since[id] = nil
			if w >= longer then
				waits[#waits + 1] = { id = id, startfn = ev.g.startfn, waited = w / NS }
			end
		end
	end)
	return waits
end

-- Step N events at a time until the program ends, calling FN() at each
-- stop; returns how many stops there were.
function A.every(n, fn)
	if math.type(n) ~= "integer" or n <= 0 or type(fn) ~= "function" then
		error("analysis: every takes a count of events (a whole number > 0) and a function", 2)
	end
	local stops = 0
	local function step()
		local ok, ev = pcall(gs.step, n)
		if not ok then
			error((tostring(ev):gsub("^[^:]*:%d+: ", "")), 3)
		end
		return ev
	end
	while step() do
		stops = stops + 1
		fn()
	end
	return stops
end

return A
