-- Each partner invitation's own random nonce. The invitation's secret is derived from partner
-- A's private link and this nonce, so an invitation made after one was withdrawn or expired is
-- a new secret: a link sent before never opens again. Invitations made before this migration
-- have none and keep the old derivation until they are used, withdrawn or expire.
alter table invitations add column nonce text;
