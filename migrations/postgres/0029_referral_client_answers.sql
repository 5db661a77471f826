-- What the client said from their referral link, kept beside the clinician's outcome and note
-- instead of over them: whoever holds the link (which travels by email) can no longer rewrite
-- the practice's record, and the practice sees where each answer came from.
alter table referrals add column client_answer text
    check (client_answer in ('connected', 'not-yet', 'other-options'));
alter table referrals add column client_answered_at timestamptz;
