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
--   A.starving{longer = S}                   goroutines runnable longer than S
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
			.. "(gs.start(), gs.run() or gs.step() first)", 3)
	end
end

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
	opts = opts or {}
	local longer, list = opts.longer or 0, {}
	for _, G in pairs(g) do
		local a = age(G)
		if G.status == "waiting" and (opts.system or not G.system)
			and ((a and a >= longer) or (not a and opts.unknown)) then
			list[#list + 1] = G
		end
	end
	local rows = group(list, function(G)
		return (G.waitreason or "?") .. "\0" .. (G.createdat or "?")
	end)
	for _, r in ipairs(rows) do
		local G = r.items[1]
		r.waitreason, r.createdat, r.createdby = G.waitreason, G.createdat, G.createdby
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

-- Where a runnable goroutine waits: "P1 runq", "P1 runnext" or "global".
local function queue_of(G)
	if G.p then
		return "P" .. G.p.id .. (G.p.runnext == G and " runnext" or " runq")
	end
	return "global"
end

-- Goroutines runnable for longer than opts.longer seconds at this stop:
-- {id, startfn, waited (seconds), queue}, the longest first.
function A.starving(opts)
	need_stop("starving")
	opts = opts or {}
	local longer, rows = opts.longer or 0, {}
	for _, G in pairs(g) do
		local a = age(G)
		if G.status == "runnable" and a and a >= longer then
			rows[#rows + 1] = { id = G.id, startfn = G.startfn, waited = a, queue = queue_of(G) }
		end
	end
	table.sort(rows, function(x, y) return x.waited > y.waited end)
	return rows
end

-- Live goroutines counted by creation site (opts.by: "createdat", the
-- default, or "createdby" or "startfn"); the top opts.top rows {key, count}.
function A.sites(opts)
	need_stop("sites")
	opts = opts or {}
	local by, counts = opts.by or "createdat", {}
	for _, G in pairs(g) do
		if opts.system or not G.system then
			local k = G[by] or (G.id == 1 and "(main goroutine)") or "?"
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
	by = by or "createdat"
	local t = {}
	A.probe("create", function(ev)
		local k = ev.g[by] or "?"
		t[k] = (t[k] or 0) + 1
	end)
	return t
end

-- Record every wait of a runnable goroutine longer than opts.longer seconds
-- over the run: it became runnable (create, ready, preempt, yield, or back
-- from a system call with no P to run on) and waited until it started. Returns the list the waits go into. A wait that
-- has not ended (the goroutine is still runnable) is not in it: A.starving
-- at a stop lists those.
function A.runnable_waits(opts)
	opts = opts or {}
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
