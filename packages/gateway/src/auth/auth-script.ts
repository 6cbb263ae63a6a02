/**
 * The key store's one write path, one atomic call (AuthBatch sends it): first the settles of
 * requests that ended, then the admissions of requests that arrived, so a request is admitted
 * after every settle this gateway had before it (a client's next request sees its last one's
 * spend).
 *
 * Settle: release each reservation, add the real cost to the period's spend, the tokens to the
 * minute's tpm count, raise the key's largest cost seen, and give back the rpm slots of a lease
 * that went unused (ADR 0034). Settles are summed per key, period and minute (SettleBatch),
 * which adds the same totals as one call each.
 *
 * Admit: look the key up by its hash, then check rpm, tpm and budget and take up to `want`
 * admissions at once (a lease, ADR 0034): admissions that `want` requests arriving one after
 * the other would get, so leasing never lets more through than asking one by one; and at most
 * a twentieth of what remains of the rpm and of the budget (one at a time near a limit).
 * Each request's reply is
 *   {'unknown'} | {'rpm'|'tpm', retryAfterSeconds, id} | {'budget', spent, budget, period, id}
 *   | {'ok', reservedUSD per admission, granted, tpmUsed, ...the record's id, name, tenant,
 *      role, routes, budget and limits as name, value pairs}
 * `granted` is the number of admissions taken (1..want), or -1 when nothing is counted (no rpm,
 * no budget): then any number may follow. `tpmUsed` is the minute's token count read.
 * Budget: admitted while spent + reserved < budget; each admission reserves the key's largest
 * cost seen so far, settled to its real cost afterwards. Requests of one cost therefore never
 * pass past the budget, however many run at once on however many replicas. While that cost is
 * unknown (0), one admission at a time.
 *
 * Redis Cluster: the rate, spend and max-cost keys depend on the record's id, so they are built
 * here from ARGV[1], the keyspace's `authHead()` (`bsc:{auth}:`): they share the records' hash
 * tag and slot (keyspace.ts names them: rateCountKey, keySpendKey, keyMaxCostKey).
 *
 * KEYS[1] the key index (routes the call to the {auth} slot), then one record hash per request.
 * ARGV: authHead, minute bucket, day bucket, month bucket, seconds left in the minute, the count
 * S of settle values, S settle values (per settle: id, spend period or '' without a budget,
 * reservedUSD, costUSD, tokens, minute bucket, largest single cost, rpm slots given back), then
 * per request its mode and its want:
 *   'request'  (inference) everything above;
 *   'check'    (creating a job, batch or file) rpm and tpm as a request, the budget must not be
 *              spent, nothing is reserved (the work is admitted again when it runs);
 *   'deferred' (queued work run on the key's behalf) budget checked and reserved, rpm and tpm
 *              not checked: they were taken when the work was submitted.
 * Returns one reply per record key. Each settle and each admission runs under pcall: one bad
 * item (a malformed record) fails only itself, as {'error', message}, not the whole turn.
 */
export const AUTH_SCRIPT = `
local p = ARGV[1]
local REPLY_FIELDS = {'id', 'name', 'tenant', 'role', 'routes', 'budgetUSD', 'budgetPeriod', 'rpm', 'tpm'}
local S = tonumber(ARGV[6])
-- A lease holds at most a twentieth of what remains of a limit (ADR 0034): within 40
-- admissions of it, one at a time, so another replica is never refused much before it.
local function share(room) return math.max(1, math.floor(room / 20)) end
local function settle(g)
  local id = ARGV[g]
  local est = tonumber(ARGV[g + 2])
  local cost = tonumber(ARGV[g + 3])
  local tokens = tonumber(ARGV[g + 4])
  local top = tonumber(ARGV[g + 6])
  local slots = tonumber(ARGV[g + 7])
  if ARGV[g + 1] ~= '' then
    local sk = p .. 'spend:' .. id .. ':' .. ARGV[g + 1]
    if est > 0 then
      local r = tonumber(redis.call('HINCRBYFLOAT', sk, 'reserved', -est))
      if r < 0 then redis.call('HSET', sk, 'reserved', '0') end
    end
    if cost > 0 then redis.call('HINCRBYFLOAT', sk, 'spent', cost) end
    redis.call('EXPIRE', sk, 3456000)
  end
  if tokens > 0 then
    local tk = p .. 'rl:' .. id .. ':tpm:' .. ARGV[g + 5]
    redis.call('INCRBY', tk, tokens)
    redis.call('EXPIRE', tk, 120)
  end
  if top > 0 then
    local mk = p .. 'maxcost:' .. id
    local m = tonumber(redis.call('GET', mk) or '0')
    if top > m then redis.call('SET', mk, tostring(top)) end
  end
  if slots > 0 then
    local rk = p .. 'rl:' .. id .. ':rpm:' .. ARGV[g + 5]
    if tonumber(redis.call('DECRBY', rk, slots)) <= 0 then redis.call('DEL', rk) end
  end
end
for g = 7, 6 + S, 8 do pcall(settle, g) end
local function admit(recKey, mode, want)
  local rec = redis.call('HGETALL', recKey)
  if #rec == 0 then return {'unknown'} end
  local h = {}
  for i = 1, #rec, 2 do h[rec[i]] = rec[i + 1] end
  local id = h['id']
  local rpm = tonumber(h['rpm'] or '0')
  local rpmKey = p .. 'rl:' .. id .. ':rpm:' .. ARGV[2]
  if mode == 'deferred' then rpm = 0 end
  local granted = want
  if rpm > 0 then
    local n = tonumber(redis.call('GET', rpmKey) or '0')
    if n >= rpm then return {'rpm', ARGV[5], id} end
    granted = math.min(granted, share(rpm - n))
  end
  local tpm = tonumber(h['tpm'] or '0')
  local used = 0
  if tpm > 0 and mode ~= 'deferred' then
    used = tonumber(redis.call('GET', p .. 'rl:' .. id .. ':tpm:' .. ARGV[2]) or '0')
    if used >= tpm then return {'tpm', ARGV[5], id} end
  end
  local budget = tonumber(h['budgetUSD'] or '0')
  local est = 0
  if budget > 0 then
    local period = ARGV[3]
    if h['budgetPeriod'] ~= 'day' then period = ARGV[4] end
    local sk = p .. 'spend:' .. id .. ':' .. period
    local spent = tonumber(redis.call('HGET', sk, 'spent') or '0')
    local reserved = tonumber(redis.call('HGET', sk, 'reserved') or '0')
    if spent + reserved >= budget then return {'budget', tostring(spent), tostring(budget), period, id} end
    if mode ~= 'check' then est = tonumber(redis.call('GET', p .. 'maxcost:' .. id) or '0') end
    if est > 0 then
      granted = math.min(granted, share(math.ceil((budget - spent - reserved) / est)))
      redis.call('HINCRBYFLOAT', sk, 'reserved', est * granted)
    else
      granted = 1
    end
    redis.call('EXPIRE', sk, 3456000)
  end
  if rpm > 0 then
    redis.call('INCRBY', rpmKey, granted)
    redis.call('EXPIRE', rpmKey, 120)
  elseif budget <= 0 then
    granted = -1
  end
  local out = {'ok', tostring(est), tostring(granted), tostring(used)}
  for _, f in ipairs(REPLY_FIELDS) do
    if h[f] then
      out[#out + 1] = f
      out[#out + 1] = h[f]
    end
  end
  return out
end
local replies = {}
for i = 2, #KEYS do
  local a = 6 + S + 2 * (i - 1)
  local ok, reply = pcall(admit, KEYS[i], ARGV[a - 1], tonumber(ARGV[a]))
  if ok then replies[i - 1] = reply else replies[i - 1] = {'error', tostring(reply)} end
end
return replies
`;
