-- Argo CD health check for sigil.dev/SignedBpfProgram, from the conditions the operator writes
-- (Kubernetes conventions: Verified, Ready, Degraded; observedGeneration).
local health = { status = "Progressing", message = "Waiting for the Sigil operator" }
if obj.status == nil or obj.status.conditions == nil then
  return health
end
if obj.metadata.generation ~= nil and obj.status.observedGeneration ~= nil
    and obj.status.observedGeneration < obj.metadata.generation then
  health.message = "Waiting for the Sigil operator to observe generation " .. obj.metadata.generation
  return health
end
local verified, ready, degraded
for _, condition in ipairs(obj.status.conditions) do
  if condition.type == "Verified" then verified = condition end
  if condition.type == "Ready" then ready = condition end
  if condition.type == "Degraded" then degraded = condition end
end
if verified ~= nil and verified.status == "False" then
  return { status = "Degraded", message = "Not verified (" .. verified.reason .. "): " .. (verified.message or "") }
end
if degraded ~= nil and degraded.status == "True" then
  return { status = "Degraded", message = degraded.reason .. ": " .. (degraded.message or "") }
end
if ready ~= nil and ready.status == "True" then
  return { status = "Healthy", message = ready.message or "Attached on every targeted node" }
end
if ready ~= nil and ready.message ~= nil then
  health.message = ready.message
end
return health
