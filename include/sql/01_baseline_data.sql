-- Customer Care Analytics: reference data (channels, interaction types, service plans, agents).
--
-- Idempotent: rows are keyed by their ids and inserted only when missing, so re-running
-- changes nothing and never touches rows that already exist. Runs with plain psql after
-- 00_schema.sql:  psql "$DSN" -v ON_ERROR_STOP=1 -f include/sql/01_baseline_data.sql
-- The generator refers to these rows by their codes (channel_code, interaction_code,
-- plan_code, employee_id), never by position.

BEGIN;

INSERT INTO channels (channel_id, channel_code, channel_name, channel_type, is_synchronous) VALUES
    (1, 'PHONE',     'Phone',        'Voice',     true),
    (2, 'EMAIL',     'Email',        'Digital',   false),
    (3, 'WEB_CHAT',  'Web Chat',     'Digital',   true),
    (4, 'MOBILE_APP','Mobile App',   'Digital',   true),
    (5, 'WHATSAPP',  'WhatsApp',     'Digital',   true),
    (6, 'SOCIAL',    'Social Media', 'Digital',   false),
    (7, 'SMS',       'SMS',          'Digital',   false),
    (8, 'IN_STORE',  'In-Store',     'In-Person', true)
ON CONFLICT (channel_id) DO NOTHING;

INSERT INTO interaction_types (interaction_type_id, interaction_code, interaction_name, category, priority_level) VALUES
    (1,  'BILLING',        'Billing Inquiry',      'Billing',   'Medium'),
    (2,  'TECH_SUPPORT',   'Technical Support',    'Technical', 'High'),
    (3,  'PLAN_CHANGE',    'Plan Change',          'Account',   'Medium'),
    (4,  'COMPLAINT',      'Complaint',            'Support',   'High'),
    (5,  'NEW_SERVICE',    'New Service',          'Sales',     'Medium'),
    (6,  'PAYMENT',        'Payment Issue',        'Billing',   'High'),
    (7,  'CANCELLATION',   'Cancellation Request', 'Account',   'Critical'),
    (8,  'INFO_REQUEST',   'Information Request',  'Support',   'Low'),
    (9,  'ROAMING',        'Roaming Support',      'Technical', 'Medium'),
    (10, 'DATA_ISSUE',     'Data Connectivity',    'Technical', 'High'),
    (11, 'DEVICE_SUPPORT', 'Device Support',       'Technical', 'Medium'),
    (12, 'PROMOTION',      'Promotion Inquiry',    'Sales',     'Low')
ON CONFLICT (interaction_type_id) DO NOTHING;

INSERT INTO service_plans (service_plan_id, plan_code, plan_name, plan_type, plan_tier, monthly_fee,
                           data_allowance_gb, voice_minutes, sms_allowance) VALUES
    (1,  'BASIC_MOBILE',    'Basic Mobile',    'Prepaid',  1, 15.00,  2,  100,   50),
    (2,  'STANDARD_MOBILE', 'Standard Mobile', 'Postpaid', 2, 25.00,  5,  300,  100),
    (3,  'PREMIUM_MOBILE',  'Premium Mobile',  'Postpaid', 3, 45.00, 15, 1000,  500),
    (4,  'UNLIMITED_PRO',   'Unlimited Pro',   'Postpaid', 4, 65.00, 50, 2000, 1000),
    (5,  'FAMILY_PLAN',     'Family Plan',     'Postpaid', 3, 85.00, 25, 1500,  750),
    (6,  'BUSINESS_BASIC',  'Business Basic',  'Business', 2, 35.00, 10,  500,  200),
    (7,  'BUSINESS_PRO',    'Business Pro',    'Business', 4, 55.00, 30, 1200,  600),
    (8,  'STUDENT_PLAN',    'Student Plan',    'Prepaid',  1, 20.00,  8,  200,  100),
    (9,  'SENIOR_PLAN',     'Senior Plan',     'Postpaid', 1, 30.00,  3,  400,  150),
    (10, 'DATA_ONLY',       'Data Only',       'Postpaid', 2, 40.00, 20,    0,    0)
ON CONFLICT (service_plan_id) DO NOTHING;

INSERT INTO agents (agent_id, agent_name, employee_id, department, team, skill_level, hire_date) VALUES
    (1, 'Nicholas Carter', 'EMP1001', 'Customer Service', 'Frontline A', 'Senior', '2016-03-13'),
    (2, 'Ian Maldonado', 'EMP1002', 'Customer Service', 'Frontline B', 'Senior', '2014-02-27'),
    (3, 'Kyle Morris', 'EMP1003', 'Customer Service', 'Frontline A', 'Junior', '2018-06-19'),
    (4, 'Brenda Smith', 'EMP1004', 'Customer Service', 'Frontline B', 'Expert', '2008-09-07'),
    (5, 'Richard Snyder', 'EMP1005', 'Customer Service', 'Frontline A', 'Senior', '2014-02-14'),
    (6, 'Michael Suarez', 'EMP1006', 'Customer Service', 'Frontline B', 'Junior', '2019-02-08'),
    (7, 'Michele King', 'EMP1007', 'Customer Service', 'Frontline A', 'Expert', '2008-09-14'),
    (8, 'Ashley Adams', 'EMP1008', 'Customer Service', 'Frontline B', 'Senior', '2014-10-04'),
    (9, 'Clinton Hill', 'EMP1009', 'Customer Service', 'Frontline A', 'Junior', '2018-11-21'),
    (10, 'Lindsey Powell', 'EMP1010', 'Customer Service', 'Frontline B', 'Junior', '2018-10-19'),
    (11, 'Shelby Cole', 'EMP1011', 'Customer Service', 'Frontline A', 'Senior', '2017-01-08'),
    (12, 'Jessica Riggs', 'EMP1012', 'Customer Service', 'Frontline B', 'Senior', '2014-09-28'),
    (13, 'Jason Sanders', 'EMP1013', 'Customer Service', 'Frontline A', 'Junior', '2018-05-14'),
    (14, 'Joseph Williams', 'EMP1014', 'Customer Service', 'Frontline B', 'Expert', '2009-09-04'),
    (15, 'Audrey Vasquez', 'EMP1015', 'Customer Service', 'Frontline A', 'Senior', '2016-09-27'),
    (16, 'Shawn Kaiser', 'EMP1016', 'Customer Service', 'Frontline B', 'Junior', '2018-02-19'),
    (17, 'Heidi Hoffman', 'EMP1017', 'Technical Support', 'Tier 1 Tech', 'Expert', '2012-11-07'),
    (18, 'Edward Hahn', 'EMP1018', 'Technical Support', 'Tier 2 Tech', 'Senior', '2016-02-18'),
    (19, 'Melissa Sullivan', 'EMP1019', 'Technical Support', 'Tier 1 Tech', 'Junior', '2018-10-02'),
    (20, 'Heather Fisher', 'EMP1020', 'Technical Support', 'Tier 2 Tech', 'Junior', '2018-08-22'),
    (21, 'Denise Bowers', 'EMP1021', 'Technical Support', 'Tier 1 Tech', 'Senior', '2017-06-15'),
    (22, 'Stacy Williams', 'EMP1022', 'Technical Support', 'Tier 2 Tech', 'Senior', '2017-06-10'),
    (23, 'Sheri Baker', 'EMP1023', 'Technical Support', 'Tier 1 Tech', 'Junior', '2018-03-23'),
    (24, 'Michael Eaton', 'EMP1024', 'Technical Support', 'Tier 2 Tech', 'Expert', '2009-02-19'),
    (25, 'Isabella Ross', 'EMP1025', 'Technical Support', 'Tier 1 Tech', 'Senior', '2016-09-16'),
    (26, 'Shelby Martinez', 'EMP1026', 'Technical Support', 'Tier 2 Tech', 'Junior', '2019-12-15'),
    (27, 'Jessica Schneider', 'EMP1027', 'Technical Support', 'Tier 1 Tech', 'Expert', '2010-10-03'),
    (28, 'Tyler Stevens', 'EMP1028', 'Technical Support', 'Tier 2 Tech', 'Senior', '2014-09-14'),
    (29, 'Kathryn Campbell', 'EMP1029', 'Billing', 'Billing Desk', 'Junior', '2018-06-05'),
    (30, 'Adam Garza', 'EMP1030', 'Billing', 'Billing Desk', 'Junior', '2019-07-02'),
    (31, 'Katrina Jones', 'EMP1031', 'Billing', 'Billing Desk', 'Senior', '2014-09-19'),
    (32, 'Samuel Cain', 'EMP1032', 'Billing', 'Billing Desk', 'Senior', '2016-06-23'),
    (33, 'Eric Ewing', 'EMP1033', 'Billing', 'Billing Desk', 'Junior', '2019-10-16'),
    (34, 'Jennifer Byrd', 'EMP1034', 'Billing', 'Billing Desk', 'Expert', '2012-08-03'),
    (35, 'Jason Boyer', 'EMP1035', 'Billing', 'Billing Desk', 'Senior', '2014-05-16'),
    (36, 'Anna Ortega', 'EMP1036', 'Sales', 'Retention & Sales', 'Junior', '2018-01-24'),
    (37, 'Jonathan Martinez', 'EMP1037', 'Sales', 'Retention & Sales', 'Expert', '2013-05-21'),
    (38, 'Gordon Williams', 'EMP1038', 'Sales', 'Retention & Sales', 'Senior', '2017-05-23'),
    (39, 'Amanda Gonzalez', 'EMP1039', 'Sales', 'Retention & Sales', 'Junior', '2019-11-12'),
    (40, 'William Burns', 'EMP1040', 'Sales', 'Retention & Sales', 'Junior', '2018-08-12')

ON CONFLICT (agent_id) DO NOTHING;

COMMIT;
