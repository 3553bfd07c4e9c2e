-- User search index. This migration is written by hand because drizzle-kit
-- cannot declare FTS5 virtual tables or triggers. `drizzle-kit generate
-- --custom` created the file, so drizzle's journal numbers it and later
-- generated migrations sort after it; its tables are absent from the drizzle
-- schema on purpose.
--
-- The triggers at the end keep the index in step with `users`. SQLite drops a
-- table's triggers with the table, so a later migration that rebuilds `users`
-- (drizzle-kit does that for changes ALTER TABLE cannot make) must create them
-- again and refill the index the way the last statements here do.
--
-- Search (edge/db/search.ts) matches usernames by prefix through the unique
-- index on users.username_key, and display names by substring:
--   * 3 or more characters: the FTS5 trigram table, case-insensitive by
--     Unicode case folding;
--   * 1 or 2 characters: user_search_grams, which lists every 1- and
--     2-character substring of each display name, so a short query is one
--     index range and never a scan of all users. SQLite's lower() folds only
--     ASCII, so these short queries ignore case for ASCII letters only.

-- One search document per user. doc_id is an INTEGER PRIMARY KEY, so it never
-- changes, unlike the implicit rowid of `users`. Name matches are returned in
-- doc_id order: older accounts first.
CREATE TABLE `user_search_docs` (
	`doc_id` integer PRIMARY KEY AUTOINCREMENT,
	`user_id` text NOT NULL UNIQUE
);

CREATE VIRTUAL TABLE `user_search_fts` USING fts5(`display_name`, tokenize = 'trigram');

CREATE TABLE `user_search_grams` (
	`gram` text NOT NULL,
	`doc_id` integer NOT NULL,
	PRIMARY KEY (`gram`, `doc_id`)
) WITHOUT ROWID;

CREATE INDEX `user_search_grams_doc` ON `user_search_grams` (`doc_id`);

-- Character positions 1 to 128 for the gram triggers, which cannot use a
-- recursive CTE. 128 is twice DISPLAY_NAME_MAX_CHARS; tests/edge check that it
-- covers the limit.
CREATE TABLE `search_positions` (`n` integer PRIMARY KEY);

WITH RECURSIVE `p` (`n`) AS (SELECT 1 UNION ALL SELECT `n` + 1 FROM `p` WHERE `n` < 128)
INSERT INTO `search_positions` (`n`) SELECT `n` FROM `p`;

CREATE TRIGGER `users_search_insert` AFTER INSERT ON `users` BEGIN
	INSERT INTO `user_search_docs` (`user_id`) VALUES (NEW.`id`);
	INSERT INTO `user_search_fts` (`rowid`, `display_name`)
		SELECT `doc_id`, NEW.`display_name` FROM `user_search_docs` WHERE `user_id` = NEW.`id`;
	INSERT OR IGNORE INTO `user_search_grams` (`gram`, `doc_id`)
		SELECT lower(substr(NEW.`display_name`, `p`.`n`, 1)), `d`.`doc_id`
		FROM `search_positions` AS `p`, `user_search_docs` AS `d`
		WHERE `d`.`user_id` = NEW.`id` AND `p`.`n` <= length(NEW.`display_name`)
		UNION
		SELECT lower(substr(NEW.`display_name`, `p`.`n`, 2)), `d`.`doc_id`
		FROM `search_positions` AS `p`, `user_search_docs` AS `d`
		WHERE `d`.`user_id` = NEW.`id` AND `p`.`n` < length(NEW.`display_name`);
END;

CREATE TRIGGER `users_search_update` AFTER UPDATE OF `display_name` ON `users`
WHEN NEW.`display_name` IS NOT OLD.`display_name` BEGIN
	DELETE FROM `user_search_fts`
		WHERE `rowid` = (SELECT `doc_id` FROM `user_search_docs` WHERE `user_id` = NEW.`id`);
	DELETE FROM `user_search_grams`
		WHERE `doc_id` = (SELECT `doc_id` FROM `user_search_docs` WHERE `user_id` = NEW.`id`);
	INSERT INTO `user_search_fts` (`rowid`, `display_name`)
		SELECT `doc_id`, NEW.`display_name` FROM `user_search_docs` WHERE `user_id` = NEW.`id`;
	INSERT OR IGNORE INTO `user_search_grams` (`gram`, `doc_id`)
		SELECT lower(substr(NEW.`display_name`, `p`.`n`, 1)), `d`.`doc_id`
		FROM `search_positions` AS `p`, `user_search_docs` AS `d`
		WHERE `d`.`user_id` = NEW.`id` AND `p`.`n` <= length(NEW.`display_name`)
		UNION
		SELECT lower(substr(NEW.`display_name`, `p`.`n`, 2)), `d`.`doc_id`
		FROM `search_positions` AS `p`, `user_search_docs` AS `d`
		WHERE `d`.`user_id` = NEW.`id` AND `p`.`n` < length(NEW.`display_name`);
END;

CREATE TRIGGER `users_search_delete` AFTER DELETE ON `users` BEGIN
	DELETE FROM `user_search_fts`
		WHERE `rowid` = (SELECT `doc_id` FROM `user_search_docs` WHERE `user_id` = OLD.`id`);
	DELETE FROM `user_search_grams`
		WHERE `doc_id` = (SELECT `doc_id` FROM `user_search_docs` WHERE `user_id` = OLD.`id`);
	DELETE FROM `user_search_docs` WHERE `user_id` = OLD.`id`;
END;

-- Index the accounts that existed before this migration, oldest first.
INSERT INTO `user_search_docs` (`user_id`) SELECT `id` FROM `users` ORDER BY `created_at`, `rowid`;

INSERT INTO `user_search_fts` (`rowid`, `display_name`)
	SELECT `d`.`doc_id`, `u`.`display_name`
	FROM `user_search_docs` AS `d` JOIN `users` AS `u` ON `u`.`id` = `d`.`user_id`;

INSERT OR IGNORE INTO `user_search_grams` (`gram`, `doc_id`)
	SELECT lower(substr(`u`.`display_name`, `p`.`n`, 1)), `d`.`doc_id`
	FROM `user_search_docs` AS `d`
	JOIN `users` AS `u` ON `u`.`id` = `d`.`user_id`
	JOIN `search_positions` AS `p` ON `p`.`n` <= length(`u`.`display_name`)
	UNION
	SELECT lower(substr(`u`.`display_name`, `p`.`n`, 2)), `d`.`doc_id`
	FROM `user_search_docs` AS `d`
	JOIN `users` AS `u` ON `u`.`id` = `d`.`user_id`
	JOIN `search_positions` AS `p` ON `p`.`n` < length(`u`.`display_name`);
