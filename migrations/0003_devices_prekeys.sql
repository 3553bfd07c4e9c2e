CREATE TABLE `devices` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`session_id` text NOT NULL,
	`identity_signing_key` text NOT NULL,
	`identity_dh_key` text NOT NULL,
	`identity_dh_key_signature` text NOT NULL,
	`signed_prekey_id` integer NOT NULL,
	`signed_prekey` text NOT NULL,
	`signed_prekey_signature` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`session_id`) REFERENCES `sessions`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `devices_session_unique` ON `devices` (`session_id`);--> statement-breakpoint
CREATE INDEX `devices_user` ON `devices` (`user_id`);--> statement-breakpoint
CREATE TABLE `one_time_prekeys` (
	`device_id` text NOT NULL,
	`key_id` integer NOT NULL,
	`public_key` text NOT NULL,
	`signature` text NOT NULL,
	PRIMARY KEY(`device_id`, `key_id`),
	FOREIGN KEY (`device_id`) REFERENCES `devices`(`id`) ON UPDATE no action ON DELETE cascade
);
